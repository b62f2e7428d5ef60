package io.catalystmail.camel;

import java.io.IOException;
import java.util.List;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.CapturedLog;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a failed poll did travels with its failure, not beside it: the handler's line says it however Camel orders
 * its calls (here a second poll's failure is told before the first one reaches the handler), the stack trace at
 * DEBUG shows it, and a failure that is not the server's, which Camel's handler logs, ends with it too.
 */
class QuietPollFailuresTest {

    private static final String SERVER = "mail.example.org:993";

    private final CapturedExceptions camels = new CapturedExceptions();
    private final QuietPollFailures handler = new QuietPollFailures(camels, SERVER, "account 1f2e3d4c5b6a", () -> false,
            () -> false);

    @Test
    void eachFailureNamesWhatItsOwnPollDidWhateverTheOrderOfTheCalls() {
        IOException first = new IOException("IMAP server " + SERVER + " answered UID FETCH with NO [UNAVAILABLE]");
        IOException second = new IOException("IMAP server " + SERVER + " did not answer UID SEARCH within 30 s");
        handler.pollFailed(first, "3 listed, 2 routed");
        handler.pollFailed(second, "0 listed");
        try (CapturedLog log = new CapturedLog()) {
            handler.handleException("Failed polling endpoint", first);
            handler.handleException("Failed polling endpoint", second);
            List<String> warnings = log.text().lines().filter(l -> l.startsWith("WARN|")).toList();
            assertEquals(2, warnings.size(), log::text);
            assertTrue(warnings.get(0).endsWith("UID FETCH with NO [UNAVAILABLE]] (account 1f2e3d4c5b6a)"
                                                + "; before it failed: 3 listed, 2 routed"), warnings.get(0));
            assertTrue(warnings.get(1).endsWith("(account 1f2e3d4c5b6a); before it failed: 0 listed"), warnings.get(1));
        }
    }

    @Test
    void theStackTraceAtDebugShowsWhatThePollDid() {
        IOException failure = new IOException("IMAP server " + SERVER + " closed the connection in UID FETCH");
        handler.pollFailed(failure, "5 listed, 4 routed");
        try (CapturedLog log = new CapturedLog()) {
            handler.handleException("Failed polling endpoint", failure);
            assertTrue(log.text().contains("Suppressed: " + QuietPollFailures.BeforeItFailed.class.getName()
                                           + ": before it failed: 5 listed, 4 routed"), log::text);
        }
    }

    @Test
    void aFailureOfOursGoesToCamelsHandlerWithWhatThePollDid() {
        IllegalStateException failure = new IllegalStateException("a bug of ours");
        handler.pollFailed(failure, "1 listed");
        handler.handleException("Failed polling endpoint", failure);
        assertEquals("Failed polling endpoint; before it failed: 1 listed", camels.messagesText());
    }

    @Test
    void anIdlePollAddsNothing() {
        IllegalStateException failure = new IllegalStateException("a bug of ours");
        handler.pollFailed(failure, null);
        handler.handleException("Failed polling endpoint", failure);
        assertEquals("Failed polling endpoint", camels.messagesText());
        assertEquals(0, failure.getSuppressed().length);
    }

    @Test
    void aFailureThrownAgainByLaterPollsCarriesOneNoteWithTheLatestPollsFigures() {
        IOException kept = new IOException("IMAP server " + SERVER + " answered UID FETCH with NO [UNAVAILABLE]");
        for (int poll = 1; poll <= 50; poll++) {
            handler.pollFailed(kept, poll + " listed");
        }
        assertEquals(1, kept.getSuppressed().length);
        try (CapturedLog log = new CapturedLog()) {
            handler.handleException("Failed polling endpoint", kept);
            handler.pollFailed(kept, null);
            handler.handleException("Failed polling endpoint", kept);
            List<String> warnings = log.text().lines().filter(l -> l.startsWith("WARN|")).toList();
            assertEquals(2, warnings.size(), log::text);
            assertTrue(warnings.get(0).endsWith("; before it failed: 50 listed"), warnings.get(0));
            // an idle poll that threw it again: no figures of an earlier poll in its line
            assertTrue(warnings.get(1).endsWith("(account 1f2e3d4c5b6a)"), warnings.get(1));
        }
        assertEquals(1, kept.getSuppressed().length);
    }
}
