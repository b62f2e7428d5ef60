package io.catalystmail.camel.pop3;

import java.time.Duration;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a user reads when a POP3 server closes the connection instead of answering, or answers with bytes that are
 * not a status line: the server, the command and what was wrong, with the server's control characters shown as
 * {@code \xNN} (they reach logs and the health check's output), never raw.
 */
class Pop3ClosedOrGarbledReplyTest {

    private final CamelContext context = new DefaultCamelContext();
    private final CapturedExceptions failures = new CapturedExceptions();

    @AfterEach
    void stop() {
        context.stop();
    }

    private Throwable firstFailure(ScriptedPop3Server server) throws Exception {
        server.add("u1", "Subject: m1\r\n\r\nbody\r\n").start();
        context.getRegistry().bind("failures", failures);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                     + "&initialDelay=0&delay=100&readTimeout=5000&exceptionHandler=#failures")
                        .log("routed");
            }
        });
        context.start();
        return failures.next(Duration.ofSeconds(30));
    }

    @Test
    void aConnectionClosedInsteadOfAnAnswerNamesTheServerAndTheCommand() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().cutOn("CAPA")) {
            String message = firstFailure(server).getMessage();
            assertTrue(message.contains("POP3 server 127.0.0.1:" + server.port() + " closed the connection before"
                    + " answering (last command sent: CAPA)"), message);
        }
    }

    @Test
    void aGreetingOfControlCharactersIsNamedEscaped() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server().greeting("\u0000NOT-POP3\u0007\u001b[2J")) {
            String message = firstFailure(server).getMessage();
            assertTrue(message.contains("POP3 server 127.0.0.1:" + server.port() + " sent something that is not a"
                    + " status line: \\x00NOT-POP3\\x07\\x1B[2J"), message);
            assertFalse(message.chars().anyMatch(c -> c < 0x20), message);
        }
    }
}
