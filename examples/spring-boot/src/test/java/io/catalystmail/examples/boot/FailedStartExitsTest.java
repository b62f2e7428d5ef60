package io.catalystmail.examples.boot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example, started as a user starts it, with a mail option its consumer refuses: the JVM ends with a non-zero
 * status instead of staying up (camel-spring-boot's run controller, which keeps an application without a web server
 * running, held a JVM whose start had failed, so a supervisor saw a live process that read no mail).
 */
class FailedStartExitsTest {

    @TempDir
    Path work;

    @Test
    void anApplicationWhoseRoutesFailToStartExits() throws Exception {
        Path log = work.resolve("app.log");
        Process app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MailExampleApplication.class.getName(),
                "--camel.component.catalystmail.search=UNSEEN FROMM x", "--mail.smtp-port=0", "--mail.imap-port=0",
                "--mail.attachments-dir=" + work.resolve("attachments"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean exited = app.waitFor(90, TimeUnit.SECONDS);
            String output = Files.readString(log);
            assertTrue(exited, "still running 90 s after start; its log:\n" + tail(output));
            assertEquals(1, app.exitValue(), tail(output));
            assertTrue(output.contains("FROMM"), "the log names the refused search:\n" + tail(output));
        } finally {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String tail(String output) {
        List<String> lines = output.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
