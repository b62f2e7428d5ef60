package io.catalystmail.camel.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.extension.Extension;

/**
 * Creates this test JVM's {@code java.io.tmpdir}. The build runs the unit tests in several JVMs at once (pom.xml,
 * {@code test.forks}) and gives each a temp directory of its own under target/ ({@code tmp-fork-N}), so that
 * {@link SpoolFiles} counts the spooled parts of its own JVM only, not those of a test running beside it; nothing
 * else creates that directory before the first temp file needs it. Registered like {@link PatientGreenMail}
 * (junit-platform.properties, META-INF/services), which JUnit loads before it runs any test class.
 */
public final class ForkTempDirectory implements Extension {

    static {
        Path directory = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the test JVM's temp directory " + directory, e);
        }
    }
}
