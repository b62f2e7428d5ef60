package io.catalystmail.camel.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.catalystmail.camel.CatalystMailComponent;
import org.apache.camel.catalog.CamelCatalog;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel's own tooling (camel-catalog 4.18, as IDE plugins, Karavan and the Maven validate goal use it) reads every
 * {@code catalystmail:} URI written in the README and the user guide the way the component does: the catalog
 * validates it, names the same protocol, host and port, and rebuilds an equivalent URI from its properties.
 */
class CatalogAcceptsDocumentedUrisTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Path PAGES = Path.of("..", "src-docs");
    /** A URI in a Java or YAML string ("..."), in AsciiDoc/Markdown code (`...`), or up to white space. */
    private static final Pattern QUOTED = Pattern.compile("\"(catalystmail:(?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern BACKTICKED = Pattern.compile("`(catalystmail:[^`]*)`");
    /** A YAML single-quoted string: a backslash is itself there, a quote is written twice. */
    private static final Pattern SINGLE_QUOTED = Pattern.compile("'(catalystmail:(?:[^']|'')*)'");
    private static final Pattern BARE = Pattern.compile("(?<![\"`\\w])(catalystmail:[a-z0-9]+:[^\\s\"`]+)");
    /** A Java string literal continued on the next line ({@code "...?a=b"} newline {@code + "&c=d"}): one URI. */
    private static final Pattern CONTINUED = Pattern.compile("\"\\s*\\R\\s*\\+\\s*\"");
    /** A YAML route's {@code uri:} with a {@code parameters:} map below it, as in the DSL's endpoint form. */
    private static final Pattern YAML_ENDPOINT = Pattern.compile(
            "(?m)^( *)uri: \"?(catalystmail:[^\"\\s]+)\"?\\R\\1parameters:\\R((?:\\1  \\S.*\\R)+)");

    private static CamelCatalog catalog;

    @BeforeAll
    static void loadOurComponentIntoTheCatalog() throws IOException {
        String json;
        try (InputStream in = CatalogAcceptsDocumentedUrisTest.class
                .getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json")) {
            assertNotNull(in, "catalog JSON missing: build with the camel-component-maven-plugin");
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catalog = new DefaultCamelCatalog();
        catalog.addComponent("catalystmail", CatalystMailComponent.class.getName(), json);
    }

    @Test
    void aPortlessUriIsReadAsProtocolAndHost() throws Exception {
        Map<String, String> p = catalog.endpointProperties("catalystmail:imaps:imap.example.com?username=invoices");
        assertEquals("imaps", p.get("protocol"));
        assertEquals("imap.example.com", p.get("host"));
        assertFalse(p.containsKey("port"), "no port given, the default applies: " + p);
        assertTrue(catalog.validateEndpointProperties("catalystmail:imaps:imap.example.com?delay=5s").isSuccess(),
                "delay is a duration: 5s is valid");
        assertFalse(catalog.validateEndpointProperties("catalystmail:imap.example.com:993").isSuccess(),
                "the protocol is required");
    }

    @Test
    void theOptionsAddedLastSessionAreDocumentedInUrisAndTheirValuesChecked() throws Exception {
        String all = String.join("\n", documentedUris());
        for (String option : List.of("fetchAs=iterator", "maxConnections=", "operation=fetch", "operation=append",
                "operation=status", "idempotentEager=true", "fetchRoundSize=")) {
            assertTrue(all.contains(option), option + " is in no documented URI that the catalog checks");
        }
        for (String wrong : List.of("operation=fetchall", "fetchAs=stream", "maxConnections=many", "storeMode=toggle")) {
            assertFalse(catalog.validateEndpointProperties("catalystmail:imaps:imap.example.com?" + wrong).isSuccess(),
                    wrong + " passes the catalog: its JSON lacks the enum or type");
        }
    }

    @Test
    void aYamlEndpointWithParametersIsCheckedAsOneUri() throws Exception {
        List<String> uris = new ArrayList<>();
        collectYaml("""
                - from:
                    uri: "catalystmail:imap:imap.example.com"
                    parameters:
                      delete: true                      # a comment
                      password: "RAW(s3cret)"
                    steps:
                """, uris);
        assertEquals(List.of("catalystmail:imap:imap.example.com?delete=true&password=RAW(s3cret)"), uris);
        assertTrue(documentedUris().stream().anyMatch(u -> u.contains("maxMessagesPerPoll=100&idempotentRepository=")),
                "the YAML guide's parameters are among the checked URIs");
    }

    @Test
    void theXmlRoutesUrisAreCheckedWithTheirEntitiesResolved() throws Exception {
        List<String> uris = documentedUris();
        assertTrue(uris.stream().anyMatch(u -> u.contains("&operation=search&folder=Sent&search=SUBJECT \"Nightly\"")),
                "the XML example's search, &amp; and &quot; resolved, is among the checked URIs: " + uris);
        assertTrue(uris.stream().noneMatch(u -> u.contains("&amp;")), "no URI is checked with an XML entity in it");
    }

    @Test
    void yamlSingleQuotedUrisAreCheckedAsTheYamlDslReadsThem() throws Exception {
        List<String> uris = documentedUris();
        assertTrue(uris.stream().anyMatch(u -> u.endsWith("&operation=search&folder=Sent&search=SUBJECT \"Nightly\"")),
                "the YAML operations route's single-quoted search is among the checked URIs: " + uris);
        assertTrue(uris.stream().anyMatch(u -> u.endsWith("&operation=store&folder=Sent&flags=\\Flagged $Reported")),
                "the YAML parameter in single quotes is checked without its quotes: " + uris);
    }

    @Test
    void everyDocumentedUriPassesTheCatalogAndRoundTrips() throws Exception {
        List<String> uris = documentedUris();
        assertTrue(uris.size() >= 10, "found only " + uris.size() + " URIs in the docs: " + uris);
        List<String> problems = new ArrayList<>();
        for (String uri : uris) {
            EndpointValidationResult result = catalog.validateEndpointProperties(uri);
            if (!result.isSuccess()) {
                problems.add(uri + " -> " + result.summaryErrorMessage(false));
                continue;
            }
            Map<String, String> properties = withoutRaw(catalog.endpointProperties(uri));
            String rebuilt = catalog.asEndpointUri("catalystmail", properties, false);
            Map<String, String> again = withoutRaw(catalog.endpointProperties(rebuilt));
            if (!properties.equals(again)) {
                problems.add(uri + " -> rebuilt as " + rebuilt + ": " + properties + " != " + again);
            }
            String host = properties.get("host");
            if (host == null || host.contains(":") && !host.startsWith("[")) {
                problems.add(uri + " -> host read as " + host);
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /** The properties with RAW(...) unwrapped: asEndpointUri wraps secret options (username, password) in it. */
    private static Map<String, String> withoutRaw(Map<String, String> properties) {
        Map<String, String> plain = new TreeMap<>();
        properties.forEach((k, v) -> plain.put(k, v.startsWith("RAW(") && v.endsWith(")") ? v.substring(4, v.length() - 1) : v));
        return plain;
    }

    /** Every concrete URI in README.md and src-docs; templates such as PROTOCOL:HOST and cut-off strings are left out. */
    static List<String> documentedUris() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(README);
        try (Stream<Path> walk = Files.walk(PAGES)) {
            walk.filter(f -> f.toString().endsWith(".adoc")).sorted().forEach(files::add);
        }
        List<String> uris = new ArrayList<>();
        for (Path file : files) {
            String text = CONTINUED.matcher(Files.readString(file)).replaceAll("");
            collectYaml(text, uris);
            collect(QUOTED.matcher(text), uris, true);
            collect(BACKTICKED.matcher(text), uris, false);
            collectSingleQuoted(text, uris);
            collect(BARE.matcher(text), uris, false);
        }
        return uris;
    }

    /** YAML endpoints with a parameters map, as the URI the DSL builds from them (values unquoted, comments cut). */
    private static void collectYaml(String text, List<String> uris) {
        Matcher m = YAML_ENDPOINT.matcher(text);
        while (m.find()) {
            StringBuilder uri = new StringBuilder(m.group(2));
            char separator = uri.indexOf("?") < 0 ? '?' : '&';
            for (String line : m.group(3).split("\\R")) {
                String entry = line.strip().replaceFirst("\\s+#.*$", "");
                int colon = entry.indexOf(": ");
                String value = entry.substring(colon + 2).strip();
                if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                } else if (value.length() > 1 && value.startsWith("'") && value.endsWith("'")) {
                    value = value.substring(1, value.length() - 1).replace("''", "'");
                }
                uri.append(separator).append(entry, 0, colon).append('=').append(value);
                separator = '&';
            }
            if (!uris.contains(uri.toString())) {
                uris.add(uri.toString());
            }
        }
    }

    /** YAML single-quoted URIs, unquoted as the YAML DSL reads them ('' is one quote). */
    private static void collectSingleQuoted(String text, List<String> uris) {
        Matcher m = SINGLE_QUOTED.matcher(text);
        while (m.find()) {
            String uri = m.group(1).replace("''", "'");
            if (!uris.contains(uri)) {
                uris.add(uri);
            }
        }
    }

    private static void collect(Matcher m, List<String> uris, boolean javaString) {
        while (m.find()) {
            String uri = m.group(1);
            if (javaString) {
                uri = uri.replace("\\\"", "\"").replace("\\\\", "\\");
            }
            // an XML route's attribute: the URI the XML DSL reads has its entities resolved
            uri = uri.replace("&quot;", "\"").replace("&amp;", "&");
            // templates (PROTOCOL:HOST, the syntax line), prose naming a protocol alone, strings cut off in code
            if (uri.contains("PROTOCOL") || uri.contains("HOST") || uri.equals("catalystmail:protocol:host:port")
                    || uri.indexOf(':', "catalystmail:".length()) < 0 || uri.endsWith(":") || uri.endsWith("=")
                    || uri.contains("...") && !uri.contains("RAW(...)") || uris.contains(uri)) {
                continue;
            }
            uris.add(uri);
        }
    }
}
