package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anything thrown while an answer is read, not only an IOException (a body consumer's or a parser's bug, an
 * IllegalStateException), leaves the rest of that answer unread: the connection is broken for good, so neither a pool
 * nor a kept session hands it on to a next command that would start reading in the middle of the old answer.
 */
class ThrowInsideAnAnswerBreaksTheConnectionTest {

    private ScriptedPreauth session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            session.close();
        }
    }

    @Test
    void aRuntimeExceptionInsideAFetchAnswerLeavesTheConnectionUnusableAndTheNextCommandUnsent() throws Exception {
        session = ScriptedPreauth.connect(ScriptedPreauth.script("")
                .expect("UID FETCH 4 \\(BODY\\.PEEK\\[\\]\\)")
                .send("* 1 FETCH (UID 4 BODY[] {19}", "Subject: hi", "", "body)", "{tag} OK fetched"));
        ImapConnection c = session.connection();
        IllegalStateException bug = new IllegalStateException("a bug in the body's consumer");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> c.execute(new ImapCommand("UID FETCH").number(4).raw("(BODY.PEEK[])"), null,
                        (soFar, item, origin, length, content) -> {
                            content.read();
                            throw bug;
                        }));
        assertEquals(bug, thrown);

        // the ")" of the FETCH and its tagged OK are still unread: a NOOP now would take them for its own answer
        assertFalse(c.isUsable());
        IOException refused = assertThrows(IOException.class,
                () -> c.execute(new ImapCommand("NOOP"), null, null));
        assertTrue(refused.getMessage().contains("is no longer usable"), refused::toString);
        c.close();
        session.server().awaitEnd();
        assertEquals(List.of("UID FETCH 4 (BODY.PEEK[])"), session.server().received());
    }
}
