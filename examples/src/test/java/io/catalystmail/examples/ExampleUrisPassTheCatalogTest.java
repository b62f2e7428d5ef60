package io.catalystmail.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.catalog.CamelCatalog;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.catalog.EndpointValidationResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The examples' {@code catalystmail:} URIs pass Camel's tooling catalog (camel-catalog 4.18 with our component's
 * JSON), as IDE plugins and the Maven validate goal read them. The guides' URIs are checked in the component module
 * (CatalogAcceptsDocumentedUrisTest); the examples are code a user copies too, and were not. A value decided at run
 * time in Java ({@code "...:" + server.smtpPort() + "?..."}) is given to the catalog as a property placeholder;
 * YAML route files are read with the YAML library the YAML DSL reads them with, so their quoting is YAML's own.
 */
class ExampleUrisPassTheCatalogTest {

    private static final Path EXAMPLES = Path.of("..", "examples");
    private static final String SCHEME = "catalystmail:";
    /** A Java string literal. */
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    /** Between two literals: {@code + expression +} (a run-time value) or {@code +} alone (a continued literal). */
    private static final Pattern JOIN = Pattern.compile("\\s*\\+\\s*(?:([\\w.]+(?:\\(\\))?)\\s*\\+\\s*)?");

    private static CamelCatalog catalog;

    @BeforeAll
    static void loadOurComponentIntoTheCatalog() throws IOException {
        try (InputStream in = ExampleUrisPassTheCatalogTest.class
                .getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json")) {
            assertNotNull(in, "the component's catalog JSON is not on the class path");
            catalog = new DefaultCamelCatalog();
            catalog.addComponent("catalystmail", "io.catalystmail.camel.CatalystMailComponent",
                    new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void everyExampleUriPassesTheCatalog() throws Exception {
        List<String> uris = exampleUris();
        assertTrue(uris.size() >= 15, "found only " + uris.size() + " URIs in the examples: " + uris);
        List<String> problems = new ArrayList<>();
        for (String uri : uris) {
            EndpointValidationResult result = catalog.validateEndpointProperties(uri);
            if (!result.isSuccess()) {
                problems.add(uri + " -> " + result.summaryErrorMessage(false));
            } else if (catalog.endpointProperties(uri).get("host") == null) {
                problems.add(uri + " -> no host read");
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void aRunTimeValueAndAContinuedLiteralMakeOneUri() {
        List<String> uris = new ArrayList<>();
        collectJava("""
                from("catalystmail:imap:127.0.0.1:" + server.imapPort() + "?username=demo"
                        + "&delay=200")
                """, uris);
        assertEquals(List.of("catalystmail:imap:127.0.0.1:{{server.imapPort()}}?username=demo&delay=200"), uris);
        assertFalse(catalog.validateEndpointProperties(
                "catalystmail:imap:127.0.0.1:{{server.imapPort()}}?usernam=demo").isSuccess(),
                "a misspelt option next to a placeholder is still found");
    }

    @Test
    void aYamlEndpointWithParametersIsOneUri() {
        List<String> uris = new ArrayList<>();
        collectYaml("""
                - route:
                    from:
                      uri: "catalystmail:imap:{{mail.host}}"
                      parameters:
                        delete: true
                        flags: '\\Seen'
                      steps:
                        - to: 'catalystmail:imap:h?search=SUBJECT "x"'
                """, uris);
        assertEquals(List.of("catalystmail:imap:{{mail.host}}?delete=true&flags=\\Seen",
                "catalystmail:imap:h?search=SUBJECT \"x\""), uris);
    }

    static List<String> exampleUris() throws IOException {
        List<String> uris = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(EXAMPLES)) {
            // the examples' sources and route files; their tests (this one's own strings among them) are left out
            for (Path file : walk.filter(f -> !f.toString().contains("target") && !f.toString().contains("src/test"))
                    .sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".java")) {
                    collectJava(Files.readString(file), uris);
                } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                    collectYaml(Files.readString(file), uris);
                }
            }
        }
        return uris;
    }

    /** Each chain of literals joined by {@code +} is one string; a URI is one that starts with the scheme. */
    private static void collectJava(String source, List<String> uris) {
        Matcher literal = STRING.matcher(source);
        int from = 0;
        while (literal.find(from)) {
            StringBuilder value = new StringBuilder(unescape(literal.group(1)));
            int end = literal.end();
            Matcher join = JOIN.matcher(source);
            while (join.region(end, source.length()).lookingAt() && join.end() < source.length()
                    && source.charAt(join.end()) == '"' && literal.find(join.end()) && literal.start() == join.end()) {
                if (join.group(1) != null) {
                    value.append("{{").append(join.group(1)).append("}}");
                }
                value.append(unescape(literal.group(1)));
                end = literal.end();
            }
            from = end;
            addUri(value.toString(), uris);
        }
    }

    private static String unescape(String javaLiteral) {
        return javaLiteral.replace("\\\"", "\"").replace("\\\\", "\\");
    }

    /** Every {@code from}/{@code to} string and every {@code uri} (with its {@code parameters}) in a route file. */
    private static void collectYaml(String text, List<String> uris) {
        for (Object document : new Load(LoadSettings.builder().build()).loadAllFromString(text)) {
            walkYaml(document, uris);
        }
    }

    private static void walkYaml(Object node, List<String> uris) {
        if (node instanceof List<?> list) {
            list.forEach(item -> walkYaml(item, uris));
        } else if (node instanceof Map<?, ?> map) {
            if (map.get("uri") instanceof String uri && uri.startsWith(SCHEME)) {
                StringBuilder full = new StringBuilder(uri);
                if (map.get("parameters") instanceof Map<?, ?> parameters) {
                    parameters.forEach((k, v) -> full.append(full.indexOf("?") < 0 ? '?' : '&').append(k).append('=')
                            .append(v));
                }
                addUri(full.toString(), uris);
            }
            for (String step : List.of("from", "to")) {
                if (map.get(step) instanceof String uri) {
                    addUri(uri, uris);
                }
            }
            map.values().forEach(value -> walkYaml(value, uris));
        }
    }

    /** A string that is a whole URI; a prefix still to be completed ({@code "catalystmail:smtp:"}) is not one. */
    private static void addUri(String value, List<String> uris) {
        if (value.startsWith(SCHEME) && !value.endsWith(":") && !uris.contains(value)) {
            uris.add(value);
        }
    }
}
