package io.catalystmail.camel.interop;

import java.io.StringWriter;
import io.catalystmail.camel.testsupport.Eventually;
import java.util.List;

import org.apache.camel.BindToRegistry;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.BeforeAll;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Base of the interop tests: fails at once (never skips) when the servers are not described, and binds the
 * trust in the servers' certificate as {@code #interopTls}.
 */
abstract class InteropTestSupport extends CamelTestSupport {

    static final String HOW_TO_START = "The interop tests need the real servers: run `bash scripts/mail-servers.sh "
            + "start` (as root), then `eval \"$(bash scripts/mail-servers.sh env)\"` in the shell that runs Maven.";

    /** The variables {@code scripts/mail-servers.sh env} exports that these tests read. */
    private static final List<String> VARIABLES = List.of("CATALYST_MAIL_HOST", "CATALYST_MAIL_DOMAIN",
            "CATALYST_MAIL_PASSWORD", "CATALYST_IMAP_PORT", "CATALYST_IMAPS_PORT", "CATALYST_POP3_PORT",
            "CATALYST_POP3S_PORT", "CATALYST_SMTP_PORT", "CATALYST_SMTPS_PORT", "CATALYST_SUBMISSION_PORT",
            "CATALYST_TRUSTSTORE", "CATALYST_TRUSTSTORE_PASSWORD", "CATALYST_SERVERS_DIR");

    @BindToRegistry(InteropServers.TLS_BEAN)
    private final SSLContextParameters tls = serversDescribed() ? InteropServers.trust() : null;

    @BeforeAll
    static void requireServers() {
        List<String> missing = VARIABLES.stream().filter(n -> System.getenv(n) == null || System.getenv(n).isBlank())
                .toList();
        if (!missing.isEmpty()) {
            fail("Not set: " + String.join(", ", missing) + ". " + HOW_TO_START);
        }
    }

    private static boolean serversDescribed() {
        return VARIABLES.stream().allMatch(n -> System.getenv(n) != null);
    }

    /** Adds a route from {@code uri} through {@code step} to mock:result. */
    void route(String uri, Processor step) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(step).to("mock:result");
            }
        });
    }

    /** Collects this component's DEBUG log (the protocol dialogue, secrets masked) while it is open. */
    static final class ProtocolLog implements AutoCloseable {
        private final StringWriter text = new StringWriter();
        private final WriterAppender appender;

        ProtocolLog() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            Configuration config = ctx.getConfiguration();
            appender = WriterAppender.newBuilder().setName("interop-" + System.nanoTime()).setTarget(text)
                    .setLayout(PatternLayout.newBuilder().withPattern("%c{1} %m%n").build()).build();
            appender.start();
            config.addAppender(appender);
            config.getLoggerConfig("io.catalystmail").addAppender(appender, Level.DEBUG, null);
            ctx.updateLoggers();
        }

        String text() {
            return text.toString();
        }

        /** How often a command (e.g. "C: A12 UID SEARCH" or "C: UIDL") was logged: one per poll for listings. */
        int count(String command) {
            return (int) text().lines().filter(l -> l.contains(command)).count();
        }

        /** Waits until the consumer has polled {@code polls} more times, seen by its listing command. */
        void awaitMorePolls(String listingCommand, int polls) {
            int before = count(listingCommand);
            Eventually.await(java.time.Duration.ofSeconds(20), () -> count(listingCommand) >= before + polls,
                    () -> polls + " more polls (" + listingCommand + ")");
        }

        @Override
        public void close() {
            LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
            ctx.getConfiguration().getLoggerConfig("io.catalystmail").removeAppender(appender.getName());
            ctx.updateLoggers();
            appender.stop();
        }
    }
}
