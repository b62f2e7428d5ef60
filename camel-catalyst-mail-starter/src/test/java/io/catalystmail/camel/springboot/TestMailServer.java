package io.catalystmail.camel.springboot;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * One embedded GreenMail (SMTP and IMAP on free ports) for every Spring test context in this JVM, and the
 * properties that point the starter at it.
 */
final class TestMailServer {

    static final String USER = "app";
    static final String ADDRESS = "app@example.test";
    static final String PASSWORD = "Str4rter-Pa55word-never-shown";

    private static GreenMail server;

    private TestMailServer() {
    }

    static synchronized GreenMail server() {
        if (server == null) {
            server = new GreenMail(new ServerSetup[] { ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort() });
            server.start();
            server.setUser(ADDRESS, USER, PASSWORD);
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        }
        return server;
    }

    static int smtpPort() {
        return server().getSmtp().getPort();
    }

    static int imapPort() {
        return server().getImap().getPort();
    }

    /** Username and password of the component, bound from camel.component.catalystmail.*. */
    static void credentials(DynamicPropertyRegistry registry) {
        server();
        registry.add("camel.component.catalystmail.username", () -> USER);
        registry.add("camel.component.catalystmail.password", () -> PASSWORD);
        registry.add("test.smtp-port", TestMailServer::smtpPort);
        registry.add("test.imap-port", TestMailServer::imapPort);
    }

    /** Waits for a condition by checking it every 50 ms (Awaitility) until the deadline, never a fixed time. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        try {
            Awaitility.await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what, e);
        }
    }
}
