package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

/**
 * A server that answers APPEND with a tagged OK whose APPENDUID (RFC 4315 §3) is not two numbers: the message is
 * stored, so the exchange succeeds without UID headers and a route that redelivers on failure appends it once. The
 * producer warns once, naming the server, not once per message.
 */
class UnusableAppendUidTest extends CamelTestSupport {

    private static final String MAIL = "Subject: hi\r\n\r\nbody\r\n";

    @Test
    void anUnreadableAppendUidLeavesTheAppendDoneOnceWithoutUidAndWarnsOnce() throws Exception {
        String append = "APPEND \"Archiv\" \\{" + MAIL.length() + "\\}" + MAIL;
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1 UIDPLUS] logged in")
                .expect("LIST \"\" \"\"").send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK listed")
                .expect(append).send("{tag} OK [APPENDUID garbage] APPEND completed")
                .expect(append).send("{tag} OK [APPENDUID 77 x12] APPEND completed")
                .start()) {
            appendTwice(server);
        }
    }

    /** The header's catalog text (options page, starter docs) says when it is absent, as the producer behaves. */
    @Test
    void theCatalogSaysTheUidHeadersAreAbsentWhenTheServerGivesNoUsableAppendUid() throws Exception {
        JsonObject catalog;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json")) {
            catalog = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        Map<?, ?> headers = (Map<?, ?>) catalog.get("headers");
        for (String name : List.of(CatalystMailConstants.UID, CatalystMailConstants.UID_VALIDITY)) {
            String description = ((JsonObject) headers.get(name)).getString("description");
            assertTrue(description.contains("absent when the server gives no usable APPENDUID"), description);
        }
    }

    private void appendTwice(ScriptedImapServer server) throws Exception {
        String uri = "catalystmail:imap:127.0.0.1:" + server.port() + "?username=joe&password=secret"
                + "&allowInsecureAuth=true&operation=append&raw=true&folder=Archiv";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(defaultErrorHandler().maximumRedeliveries(2).redeliveryDelay(0));
                from("direct:append").to(uri);
            }
        });

        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 2; i++) {
                Exchange done = template.send("direct:append", e -> e.getIn().setBody(MAIL));
                assertNull(done.getException(), () -> String.valueOf(done.getException()));
                assertNull(done.getMessage().getHeader(CatalystMailConstants.UID), "the UID is unknown");
                assertNull(done.getMessage().getHeader(CatalystMailConstants.UID_VALIDITY));
                assertFalse(done.getIn().getHeaders().containsKey(Exchange.REDELIVERY_COUNTER), "not redelivered");
            }
            List<String> warnings = log.text().lines().filter(l -> l.startsWith("WARN|")).toList();
            assertEquals(1, warnings.size(), () -> "one warning for the endpoint, got " + warnings);
            assertTrue(warnings.get(0).contains("IMAP server 127.0.0.1:" + server.port() + " answered APPEND"
                    + " with an APPENDUID that is not two non-zero numbers"), warnings.get(0));
            assertFalse(warnings.get(0).contains("secret"), warnings.get(0));
        }
        assertEquals(List.of("LIST \"\" \"\"", "APPEND \"Archiv\" {" + MAIL.length() + "}" + MAIL,
                "APPEND \"Archiv\" {" + MAIL.length() + "}" + MAIL), server.received(), "each message appended once");
        assertTrue(server.problems().isEmpty(), () -> server.problems().toString());
    }
}
