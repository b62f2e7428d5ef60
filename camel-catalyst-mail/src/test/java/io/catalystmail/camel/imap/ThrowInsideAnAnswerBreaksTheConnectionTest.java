package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anything thrown while an answer is read, not only an IOException (a body consumer's or a parser's bug, an
 * IllegalStateException), leaves the rest of that answer unread: the connection is broken for good, so neither a pool
 * nor a kept session hands it on to a next command that would start reading in the middle of the old answer. The same
 * holds for a throw in the caller's handler of untagged responses, between two reads, and for one while a command's
 * literal is written: the server then waits for the rest of the literal and would take the next command for it.
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
        assertBrokenAndNothingMoreSent(c, "UID FETCH 4 (BODY.PEEK[])");
    }

    /** The connection refuses the next command before a byte of it is sent; the server got only {@code received}. */
    private void assertBrokenAndNothingMoreSent(ImapConnection c, String... received) throws Exception {
        assertFalse(c.isUsable());
        IOException refused = assertThrows(IOException.class,
                () -> c.execute(new ImapCommand("NOOP"), null, null));
        assertTrue(refused.getMessage().contains("is no longer usable"), refused::toString);
        c.close();
        session.server().awaitEnd();
        assertEquals(List.of(received), session.server().received());
    }

    @Test
    void aRuntimeExceptionInTheUntaggedHandlerLeavesTheConnectionUnusableAndTheNextCommandUnsent() throws Exception {
        session = ScriptedPreauth.connect(ScriptedPreauth.script("")
                .expect("LIST \"\" \"\\*\"")
                .send("* LIST () \"/\" one", "* LIST () \"/\" two", "{tag} OK listed"));
        ImapConnection c = session.connection();
        IllegalStateException bug = new IllegalStateException("a bug in the handler of untagged responses");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> c.execute(new ImapCommand("LIST").string("").string("*"), r -> {
                    throw bug;
                }, null));
        assertEquals(bug, thrown);

        // the second LIST line and the tagged OK are still unread
        assertBrokenAndNothingMoreSent(c, "LIST \"\" \"*\"");
    }

    @Test
    void aRuntimeExceptionWhileALiteralIsWrittenLeavesTheConnectionUnusableAndTheNextCommandUnsent() throws Exception {
        session = ScriptedPreauth.connect(ScriptedPreauth.script("LITERAL+").stall());
        ImapConnection c = session.connection();
        IllegalStateException bug = new IllegalStateException("the message's source failed");
        LiteralContent failing = new LiteralContent() {
            @Override
            public long size() {
                return 100;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write("Subject: half".getBytes(StandardCharsets.US_ASCII));
                throw bug;
            }
        };

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> c.send(new ImapCommand("APPEND").mailbox("INBOX").literal(failing)));
        assertEquals(bug, thrown);

        // the server waits for 87 more octets of the literal: a NOOP now would be taken for them (the stalling
        // script records no command: the APPEND line is never complete)
        assertBrokenAndNothingMoreSent(c);
    }

    @Test
    void aLiteralSourceThatWritesFewerOctetsThanItAnnouncedFailsTheCommandAndBreaksTheConnection() throws Exception {
        assertALiteralOfTheWrongSizeBreaksTheConnection(100, "Subject: short\r\n\r\n");
    }

    @Test
    void aLiteralSourceThatWritesMoreOctetsThanItAnnouncedFailsTheCommandAndBreaksTheConnection() throws Exception {
        // the octets past the announced 5 reach the server as the start of a command line
        assertALiteralOfTheWrongSizeBreaksTheConnection(5, "Subject: long\r\n\r\n");
    }

    /**
     * A message source whose size() and content disagree (a spooled file cut or grown between spooling and sending):
     * the server counts the announced octets (RFC 3501 §4.3), so the connection is out of step whatever comes next.
     */
    private void assertALiteralOfTheWrongSizeBreaksTheConnection(long announced, String written) throws Exception {
        session = ScriptedPreauth.connect(ScriptedPreauth.script("LITERAL+").stall());
        ImapConnection c = session.connection();
        byte[] content = written.getBytes(StandardCharsets.US_ASCII);
        LiteralContent lying = new LiteralContent() {
            @Override
            public long size() {
                return announced;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(content);
            }
        };

        IOException failed = assertThrows(IOException.class,
                () -> c.send(new ImapCommand("APPEND").mailbox("INBOX").literal(lying)));
        assertTrue(failed.getMessage().contains(c.serverName()), failed::toString);
        assertTrue(failed.getMessage().contains("APPEND"), failed::toString);
        assertTrue(failed.getMessage().contains("announced " + announced + " octets")
                   && failed.getMessage().contains("wrote " + content.length), failed::toString);
        assertBrokenAndNothingMoreSent(c);
    }
}
