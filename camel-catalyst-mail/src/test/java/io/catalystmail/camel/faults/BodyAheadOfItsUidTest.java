package io.catalystmail.camel.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A FETCH answer whose body comes before its UID, FLAGS and INTERNALDATE is kept in a temp file until the answer is
 * complete. One that carries the body twice (BODY[] and RFC822, or BODY[] again) is delivered once and leaves no temp
 * file behind: before, the second file took the first one's place and the first stayed on disk for good, up to
 * maxMessageSize per such answer.
 */
class BodyAheadOfItsUidTest {

    @RegisterExtension
    static GreenMailExtension greenMail = HostileServerRun.greenMail(ServerSetupTest.IMAP, "ivy");

    /** The body spool files in java.io.tmpdir (the build points it into target/). */
    private static long spoolFiles() {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.filter(f -> f.getFileName().toString().startsWith("catalystmail-imap-")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aBodySentTwiceAheadOfItsUidIsDeliveredOnceAndLeavesNoTempFile() throws Exception {
        deliver(greenMail, "ivy", textMessage("twice", "the script sends it twice"));
        String body = new String(textMessage("twice", "the script sends it twice"), StandardCharsets.US_ASCII);
        String literal = "{" + body.length() + "}\r\n" + body;
        long before = spoolFiles();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.answer("UID FETCH", line -> HostileBytes.text("* 1 FETCH (BODY[] " + literal + " RFC822 " + literal
                    + " UID 1 FLAGS () INTERNALDATE \"01-Dec-2026 10:00:00 +0000\")\r\n" + tagOf(line)
                    + " OK FETCH completed\r\n"), 0);
            try (HostileServerRun run = new HostileServerRun(HostileServerRun.uri("imap", proxy.port(), "ivy", "fetchRoundSize=1"))
                    .start()) {
                run.awaitProcessed("twice");
                run.awaitMorePolls(2);
                assertEquals(List.of("twice"), run.processed(), "delivered once");
                Eventually.await(() -> spoolFiles() == before, () -> (spoolFiles() - before) + " spool file(s) left");
                run.assertStillPolling();
            }
        }
    }
}
