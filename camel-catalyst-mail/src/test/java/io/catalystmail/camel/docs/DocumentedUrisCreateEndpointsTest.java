package io.catalystmail.camel.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.catalystmail.camel.auth.AccessTokenSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Service;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The component itself, not only the catalog, takes every {@code catalystmail:} URI of the README and the guides:
 * its endpoint is created and its consumer (or, for SMTP and mailbox operations, its producer) initialised, which
 * is where the checks across options run (startTls against implicit TLS, submission without STARTTLS, a token
 * mechanism without a token, the consumer's search, idempotent and folder options). Nothing connects. Placeholders
 * get a value of their kind and each {@code #bean} a bean of the type its option takes.
 */
class DocumentedUrisCreateEndpointsTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}]+)}}");
    private static final Pattern REFERENCE = Pattern.compile("([A-Za-z]+)=#(?:bean:)?([A-Za-z0-9_]+)");
    private static final Pattern SENDS = Pattern.compile("^catalystmail:(smtp|smtps|submission):|[?&]operation=");

    @Test
    void everyDocumentedUriCreatesAnEndpointThatPassesItsChecks() throws Exception {
        List<String> uris = CatalogAcceptsDocumentedUrisTest.documentedUris();
        List<String> problems = new ArrayList<>();
        try (CamelContext camel = contextFor(uris)) {
            for (String uri : uris) {
                String problem = problemOf(camel, uri);
                if (problem != null) {
                    problems.add(uri + "\n    " + problem);
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " of " + uris.size() + " documented URIs are refused:\n"
                + String.join("\n", problems));
    }

    @Test
    void aUriThatContradictsItselfIsReported() throws Exception {
        String contradiction = "catalystmail:imaps:imap.example.com?username=a&startTls=REQUIRED";
        String badSearch = "catalystmail:imaps:imap.example.com?username=a&search=UNSEEN FROMM x";
        String fine = "catalystmail:imaps:imap.example.com?username=a&password=RAW({{mail.password}})"
                + "&idempotentRepository=#mailProcessed&delay={{mail.delay}}";
        try (CamelContext camel = contextFor(List.of(contradiction, badSearch, fine))) {
            assertTrue(String.valueOf(problemOf(camel, contradiction)).contains("contradicts implicit TLS"));
            assertTrue(String.valueOf(problemOf(camel, badSearch)).contains("FROMM"),
                    "the consumer's own checks run (its search)");
            assertNull(problemOf(camel, fine));
        }
    }

    /** A started context with a value for every placeholder of the URIs and a bean for every #reference. */
    private static CamelContext contextFor(List<String> uris) {
        CamelContext camel = new DefaultCamelContext();
        Properties values = new Properties();
        for (String uri : uris) {
            Matcher placeholder = PLACEHOLDER.matcher(uri);
            while (placeholder.find()) {
                String key = placeholder.group(1);
                values.put(key, key.endsWith("port") ? "993" : key.endsWith("protocol") ? "imaps"
                        : key.endsWith("delay") ? "60000" : "value");
            }
            Matcher reference = REFERENCE.matcher(uri);
            while (reference.find()) {
                camel.getRegistry().bind(reference.group(2), beanFor(reference.group(1)));
            }
        }
        camel.getPropertiesComponent().setInitialProperties(values);
        camel.start();
        return camel;
    }

    /** Why the component refuses the URI, or null when it takes it. */
    private static String problemOf(CamelContext camel, String uri) {
        try {
            Endpoint endpoint = camel.getEndpoint(uri);
            Service side = SENDS.matcher(uri).find() ? endpoint.createProducer() : endpoint.createConsumer(e -> { });
            ServiceHelper.initService(side);
            ServiceHelper.stopAndShutdownService(side);
            return null;
        } catch (Exception refused) {
            Throwable cause = refused;
            while (cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause.toString();
        }
    }

    private static Object beanFor(String option) {
        return switch (option) {
            case "accessTokenSupplier" -> (AccessTokenSupplier) user -> "token";
            case "sslContextParameters" -> new SSLContextParameters();
            case "idempotentRepository" -> new MemoryIdempotentRepository();
            default -> throw new IllegalArgumentException("no stand-in bean for the option " + option);
        };
    }
}
