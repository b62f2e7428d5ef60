package io.catalystmail.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The XML route of the mailbox-operations guide, taken from the page as it is and saved as a route file of its own,
 * runs with Camel Main and the XML DSL: only its servers are pointed at the embedded one (plain SMTP for
 * submission, plain IMAP for imaps). A plain body sent to it is mailed, filed in Sent, found by its subject and
 * flagged. The route had no recipients before, so pasted and sent a body it failed with "No recipients".
 */
class GuideXmlRouteRunsTest {

    private static final Path GUIDE = Path.of("..", "src-docs", "modules", "ROOT", "pages", "mailbox-operations.adoc");
    private static final String BLOCK = "[source,xml]\n----\n";

    @TempDir
    Path work;

    @Test
    void theGuidesXmlRouteSendsFilesFindsAndFlagsTheReport() throws Exception {
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("app@example.com", "app", "app-secret")) {
            String route = guideRoute()
                    .replace("catalystmail:submission:smtp.example.com", "catalystmail:smtp:127.0.0.1:" + server.smtpPort())
                    .replace("catalystmail:imaps:imap.example.com", "catalystmail:imap:127.0.0.1:" + server.imapPort());
            Path file = Files.writeString(work.resolve("send-and-file.xml"), route);
            Main main = new Main();
            main.configure().withRoutesIncludePattern("file:" + file);
            main.addOverrideProperty("mail.password", "app-secret");
            main.start();
            try {
                ProducerTemplate template = main.getCamelContext().createProducerTemplate();
                String sent = "catalystmail:imap:127.0.0.1:" + server.imapPort()
                        + "?username=app&password=RAW(app-secret)&folder=Sent";
                // GreenMail marks no folder \Sent and creates none: the guide's Dovecot and Gmail have one
                template.sendBody(sent + "&operation=create", null);

                Exchange report = template.send("direct:report", x -> x.getMessage().setBody("42 files exported."));

                assertNull(report.getException(), "the guide's route failed: " + report.getException());
                assertEquals("[1]", String.valueOf(report.getMessage().getHeader(CatalystMailConstants.UIDS)), "the search found the report");
                List<?> filed = template.requestBody(sent + "&operation=fetch&search=ALL", null, List.class);
                assertEquals(1, filed.size());
                Message copy = (Message) filed.get(0);
                Collection<?> flags = copy.getHeader(CatalystMailConstants.FLAGS, Collection.class);
                assertTrue(flags.contains("\\Flagged") && flags.contains("$Reported"), "flags " + flags);
                assertTrue(String.valueOf(copy.getHeader("To")).contains("ops@example.com"), "the copy keeps its To");
            } finally {
                main.stop();
            }
        }
    }

    /** The page's XML block, as a reader copies it. */
    private static String guideRoute() throws Exception {
        String guide = Files.readString(GUIDE);
        int start = guide.indexOf(BLOCK) + BLOCK.length();
        return guide.substring(start, guide.indexOf("----\n", start));
    }
}
