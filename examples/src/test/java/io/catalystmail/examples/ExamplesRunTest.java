package io.catalystmail.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each guide's example, run by the default build against the embedded server, with what it must produce. */
class ExamplesRunTest {

    @TempDir
    Path work;

    @Test
    void quickStartDemo() throws Exception {
        MailDemo.main(new String[0]);
    }

    @Test
    void saveAttachmentsWritesEachAttachmentUnderTheMessagesUid() throws Exception {
        assertEquals(2, SaveAttachmentsExample.run(work));
        try (Stream<Path> files = Files.walk(work)) {
            List<String> names = files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("details.csv", "invoice-2026-117.pdf"), names);
        }
        try (Stream<Path> files = Files.walk(work)) {
            Path csv = files.filter(p -> p.endsWith("details.csv")).findFirst().orElseThrow();
            assertEquals("item;amount\nwidgets;42\n", Files.readString(csv, StandardCharsets.UTF_8));
        }
    }

    @Test
    void mailboxOperationsFileTheSentMessageInSent() throws Exception {
        assertEquals(1L, MailboxOperationsExample.run());
    }

    @Test
    void pushDeliveryRoutesTheMessageWithoutAScheduledPoll() throws Exception {
        assertEquals("Disk almost full", PushDeliveryExample.run());
    }

    @Test
    void oauth2LoginsWithTokensFromTheTokenEndpointAndARelayRouteSendsWithoutLogin() throws Exception {
        assertEquals(List.of("Hello over XOAUTH2", "Hello through the relay"), OAuth2Example.run());
    }

    @Test
    void yamlRouteRunWithCamelMainWritesOneFilePerMessage() throws Exception {
        assertEquals(2, YamlRouteExample.run(work.resolve("mail"), 2));
        try (Stream<Path> files = Files.list(work.resolve("mail"))) {
            for (Path file : files.toList()) {
                assertTrue(Files.readString(file).startsWith("Report number "), file.toString());
            }
        }
    }

    /**
     * The properties file invites pointing the route at any server; over POP3, which has no UID, every message was
     * written to the same ".txt" (the route succeeded, the messages were deleted, one file was left).
     */
    @Test
    void yamlRouteRunOverPop3WritesOneFilePerMessageToo() throws Exception {
        assertEquals(2, YamlRouteExample.run(work.resolve("pop3-mail"), 2, "pop3"));
    }

    @Test
    void theYamlGuideShowsTheRouteFileThatRuns() throws Exception {
        // the guide's copy had lost the beans section: pasted alone it failed on '#processedMail' (no such bean)
        assertTheGuideShowsTheFile("yaml-camel-main.adoc", "mail-to-files.camel.yaml");
    }

    @Test
    void theYamlGuideShowsThePropertiesTheRouteReads() throws Exception {
        // the page named application.properties without showing it: a new user had to open the example for mail.*
        String guide = Files.readString(Path.of("..", "src-docs", "modules", "ROOT", "pages", "yaml-camel-main.adoc"));
        int start = guide.indexOf("[source,properties]\n----\n") + "[source,properties]\n----\n".length();
        String shown = guide.substring(start, guide.indexOf("----\n", start));
        String file = Files.readString(Path.of("src", "main", "resources", "yaml", "application.properties"));
        assertEquals(file.replaceAll("(?m)^#.*\n", ""), shown);
    }

    /** The page's first YAML block is the route file as it runs here, less its comment lines. */
    private static void assertTheGuideShowsTheFile(String page, String routeFile) throws Exception {
        String guide = Files.readString(Path.of("..", "src-docs", "modules", "ROOT", "pages", page));
        int start = guide.indexOf("[source,yaml]\n----\n") + "[source,yaml]\n----\n".length();
        String shown = guide.substring(start, guide.indexOf("----\n", start));
        String file = Files.readString(Path.of("src", "main", "resources", "yaml", routeFile));
        assertEquals(file.replaceAll("(?m)^#.*\n", ""), shown);
    }

    @Test
    void theSendingGuideShowsTheRetryingRouteThatRuns() throws Exception {
        // SendWithRetriesTest runs the file; a redelivery policy alone re-sent an uncertain delivery 40 times
        assertTheGuideShowsTheFile("sending.adoc", "send-with-retries.camel.yaml");
    }

    @Test
    void yamlOperationsRouteFilesTheReportAndFlagsItWithBackslashFlagsInSingleQuotes() throws Exception {
        // in double quotes YAML refuses \Seen ("found unknown escape character S"): the guide's first YAML try
        assertEquals(List.of("$Reported", "\\Flagged", "\\Seen"),
                YamlOperationsExample.run().stream().filter(f -> !f.equals("\\Recent")).sorted().toList());
    }

    @Test
    void theMailboxOperationsGuideShowsTheYamlRouteThatRuns() throws Exception {
        assertTheGuideShowsTheFile("mailbox-operations.adoc", "file-reports.camel.yaml");
    }

    @Test
    void troubleshootingShowsTheServersReplyAndTheTlsCauseWithoutThePassword() throws Exception {
        List<String> reports = TroubleshootingExample.run();
        assertTrue(reports.get(0).contains("535"), reports.get(0));
        assertTrue(reports.get(1).toLowerCase().contains("certificate"), reports.get(1));
        assertFalse(String.join("\n", reports).contains("wrong-password"), reports.toString());
    }
}
