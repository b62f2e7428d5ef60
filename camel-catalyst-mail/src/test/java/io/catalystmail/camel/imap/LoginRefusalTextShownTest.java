package io.catalystmail.camel.imap;


import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.testsupport.CapturedExceptions.rootCause;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A refused login's text reaches the error (and so logs and the health check) as any other IMAP refusal's does:
 * control characters and bidi overrides escaped, a long text cut, so a hostile server can neither repaint a terminal
 * nor reorder what a reader sees nor fill the log.
 */
class LoginRefusalTextShownTest {

    private final CamelContext context = new DefaultCamelContext();
    private final CapturedExceptions failures = new CapturedExceptions();

    @AfterEach
    void stop() {
        context.stop();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"LOGIN, IMAP4rev1, LOGIN .*",
            "AUTHENTICATE PLAIN, IMAP4rev1 SASL-IR AUTH=PLAIN, AUTHENTICATE PLAIN \\S+"})
    void theServersTextIsEscapedAndCut(String command, String capabilities, String expected) throws Exception {
        String refusal = "bad\u001b[2J\u202Eword " + "x".repeat(5000);
        try (ScriptedImapServer server = new ScriptedImapServer()
                .send("* OK [CAPABILITY " + capabilities + "] ready")
                .expect(expected).send("{tag} NO " + refusal)
                .start()) {
            String message = rootCause(firstFailure(server.port())).getMessage();

            assertTrue(message.contains(" refused " + command + " for account "), message);
            assertTrue(message.contains(": NO bad\\x1B[2J\\u202Eword xxx"), message);
            assertTrue(message.endsWith("x..."), message);
            assertTrue(message.length() < 1000, "cut: " + message.length() + " characters");
            assertFalse(message.chars().anyMatch(c -> c < 0x20 || c == 0x202E), message);
        }
    }

    private Throwable firstFailure(int port) throws Exception {
        return failures.firstPollFailure(context,
                "catalystmail:imap:127.0.0.1:" + port + "?username=sam&password=RAW(s3cret!)");
    }
}
