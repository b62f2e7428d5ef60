package io.catalystmail.camel.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.imap.PendingExpunges;
import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.net.ConnectionSettings;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An {@link ImapMailboxSession} opened on a {@link ScriptedImapServer}, for tests of the exact commands a session
 * sends and of answers no real server gives on demand. The script starts with what every session's opening sends
 * and reads: a PREAUTH greeting with the capabilities asked for, the LIST that asks for the hierarchy delimiter
 * (there is no NAMESPACE capability), and the SELECT of the folder; the test adds its own steps. Register it with
 * {@code @RegisterExtension}: the session and the server are closed after each test.
 */
public final class ScriptedImapSession implements AfterEachCallback {

    /** What a round's UID FETCH asks for, as a regular expression that follows the UID set. */
    public static final String BODY_FETCH = " \\(UID FLAGS INTERNALDATE RFC822\\.SIZE BODY\\.PEEK\\[\\]\\)";

    /** The session's clock: searches relative to now are rendered against it. */
    public static final Instant NOW = Instant.parse("2024-03-10T12:00:00Z");

    private final String folder;
    private final String selectCommand;
    private final List<String> selected;
    private ScriptedImapServer server;
    private ImapMailboxSession session;

    /**
     * @param folder        the folder the session selects
     * @param selectCommand the SELECT command as the server must receive it, a regular expression
     * @param selected      the untagged lines that answer the SELECT before its tagged OK
     */
    public ScriptedImapSession(String folder, String selectCommand, String... selected) {
        this.folder = folder;
        this.selectCommand = selectCommand;
        this.selected = List.of(selected);
    }

    /** INBOX, holding 9 messages under UIDVALIDITY 42. */
    public static ScriptedImapSession inbox() {
        return new ScriptedImapSession("INBOX", "SELECT \"?INBOX\"?", "* 9 EXISTS", "* OK [UIDVALIDITY 42] UIDs valid");
    }

    /**
     * INBOX as {@link #inbox()}, its SELECT answer naming the flags kept for good: such as {@code \Deleted \Seen \*}
     * (new keywords may be created, RFC 3501 §7.1) or without {@code \*} (they may not).
     */
    public static ScriptedImapSession inboxWithPermanentFlags(String permanentFlags) {
        return new ScriptedImapSession("INBOX", "SELECT \"?INBOX\"?", "* 9 EXISTS",
                "* FLAGS (\\Answered \\Deleted \\Seen)", "* OK [PERMANENTFLAGS (" + permanentFlags + ")] Limited",
                "* OK [UIDVALIDITY 42] UIDs valid");
    }

    /**
     * The script, starting with the opening; the greeting offers IMAP4rev1 and {@code capabilities} (separated by
     * spaces, or empty). The test adds its steps and starts it.
     */
    public ScriptedImapServer script(String capabilities) {
        if (server != null) {
            throw new IllegalStateException("one script per test");
        }
        List<String> answer = new ArrayList<>(selected);
        answer.add("{tag} OK [READ-WRITE] selected");
        server = new ScriptedImapServer()
                .send("* PREAUTH [CAPABILITY IMAP4rev1" + (capabilities.isEmpty() ? "" : " " + capabilities)
                      + "] logged in already")
                .expect("LIST \"\" \"\"")
                .send("* LIST (\\Noselect) \"/\" \"\"", "{tag} OK done")
                .expect(selectCommand)
                .send(answer.toArray(String[]::new));
        return server;
    }

    /** Opens the session on the started script, which plays its opening now. */
    public ImapMailboxSession open() throws IOException {
        return open(new PendingExpunges());
    }

    /** Opens the session as {@link #open()} does, its flagged-but-not-expunged messages recorded in {@code pending}. */
    public ImapMailboxSession open(PendingExpunges pending) throws IOException {
        session = new ImapMailboxSession(ConnectionSettings.plain("127.0.0.1", server.port(), Duration.ofSeconds(20)),
                Credentials.NONE, folder, Clock.fixed(NOW, ZoneOffset.UTC));
        session.keepPendingExpungesIn(pending);
        session.open();
        return session;
    }

    public ScriptedImapServer server() {
        return server;
    }

    /** A message of the selected folder as a listing would name it (the identity only has to be unique here). */
    public MessageRef ref(long uid) {
        return new MessageRef(Long.toString(uid), 0, -1, null, "scripted:" + folder + ";UID=" + uid);
    }

    /** The message's content as text. */
    public static String text(FetchedMessage message) throws IOException {
        return new String(message.content().readAllBytes(), StandardCharsets.UTF_8);
    }

    /** Logs out, then checks that the server played its script to the end and received nothing unexpected. */
    public void assertScriptPlayed() throws InterruptedException {
        session.close();
        server.awaitEnd();
        assertEquals(List.of(), server.problems());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        if (session != null) {
            session.close();
        }
        if (server != null) {
            server.close();
        }
    }
}
