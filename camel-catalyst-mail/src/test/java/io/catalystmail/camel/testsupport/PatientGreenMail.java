package io.catalystmail.camel.testsupport;

import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.extension.Extension;

/**
 * Gives every embedded GreenMail server of this module 20 s to start instead of GreenMail's 2 s, which a loaded
 * 2-core build machine does not always meet (a slow start is not what any test here is about). Registered for all
 * tests through JUnit's extension auto-detection (src/test/resources/junit-platform.properties), so it runs before
 * any test class copies a setup with {@code dynamicPort()}: the copies keep the start-up limit.
 */
public final class PatientGreenMail implements Extension {

    private static final long STARTUP_MILLIS = 20_000;

    static {
        for (ServerSetup setup : ServerSetupTest.ALL) {
            setup.setServerStartupTimeout(STARTUP_MILLIS);
        }
    }
}
