package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * APPEND of a 100 MiB message in a child JVM with {@code -Xmx64m} ({@link LargeAppendScenario}): the message is
 * spooled to a temp file and streamed into the literal, never held in the heap.
 */
class LargeAppendTest {

    @Test
    void appendsA100MiBMessageInA64MiBHeap() throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path output = File.createTempFile("large-append", ".log").toPath();
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), LargeAppendScenario.class.getName()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean ended = child.waitFor(5, TimeUnit.MINUTES);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            String tail = log.length() > 6000 ? log.substring(log.length() - 6000) : log;
            assertTrue(ended, "the append did not end within 5 minutes:\n" + tail);
            assertEquals(0, child.exitValue(), "the append failed in a 64 MiB heap:\n" + tail);
            assertTrue(log.contains("SCENARIO PASSED"), tail);
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }
}
