package io.catalystmail.camel.faults;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs each {@link HostileMemoryScenario} in a child JVM with {@code -Xmx64m}: a heap far smaller than what the
 * hostile answers used to become, so the bounds are shown to hold whatever the heap, and an OutOfMemoryError in
 * one scenario cannot disturb the other tests.
 */
class HostileMemoryTest {

    @ParameterizedTest(name = "{0} in a 64 MiB heap")
    @EnumSource(HostileMemoryScenario.Case.class)
    void consumerSurvivesInA64MiBHeap(HostileMemoryScenario.Case scenario) throws Exception {
        Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
        Path output = File.createTempFile("hostile-" + scenario, ".log").toPath();
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), HostileMemoryScenario.class.getName(), scenario.name()))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            boolean ended = child.waitFor(3, TimeUnit.MINUTES);
            String log = Files.readString(output, StandardCharsets.UTF_8);
            assertTrue(ended, "the scenario did not end within 3 minutes:\n" + tail(log));
            assertEquals(0, child.exitValue(), "the scenario failed in a 64 MiB heap:\n" + tail(log));
            assertTrue(log.contains("SCENARIO PASSED"), tail(log));
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(output);
        }
    }

    private static String tail(String log) {
        return log.length() > 6000 ? log.substring(log.length() - 6000) : log;
    }
}
