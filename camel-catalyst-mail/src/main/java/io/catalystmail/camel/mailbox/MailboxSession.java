package io.catalystmail.camel.mailbox;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The uniform receiving interface over IMAP and POP3: open a mailbox, list candidates matching a filter,
 * stream them, apply after-processing actions, close. Implementations are single-threaded and free of Camel.
 */
public interface MailboxSession extends Closeable {

    /** Receives each fetched message while its content streams from the server. */
    @FunctionalInterface
    interface MessageHandler {
        /**
         * Called once per message, in the order asked for. The handler reads what it needs from
         * {@link FetchedMessage#content()}; anything it leaves unread is skipped by the session. An exception
         * thrown here concerns that message only: the session skips the rest of it and goes on with the next.
         */
        void onMessage(FetchedMessage message) throws Exception;
    }

    /** Connects, authenticates and opens the mailbox (IMAP: SELECT the folder). */
    void open() throws IOException;

    /** True when the connection is open and answers (IMAP: NOOP); never throws. */
    boolean isAlive();

    /**
     * The mailbox as the server names it (IMAP: the folder {@link #open()} selected, its name resolved against the
     * server's namespace, RFC 2342); POP3 has one maildrop, named {@code INBOX} as IMAP names it (RFC 3501 §5.1).
     */
    default String folderOnServer() {
        return "INBOX";
    }

    /** The selected folder's UIDVALIDITY (RFC 3501 §2.3.1.1) as of {@link #open()}; -1 where there is none (POP3). */
    default long uidValidity() {
        return -1;
    }

    /**
     * Lists the messages that match {@code filter}, in {@code order}, at most {@code limit} of them (0: all).
     *
     * @param onlyUnseen IMAP: add UNSEEN to the search; POP3 ignores it (the consumer filters by its UIDL store)
     */
    List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit) throws IOException;

    /**
     * Streams the given messages, in the given order, to {@code handler}, without changing their state on the
     * server (IMAP BODY.PEEK). A message that vanished meanwhile is skipped.
     *
     * @return the messages whose handler failed, mapped to the failure; they stay untouched on the server
     */
    Map<MessageRef, Exception> fetch(List<MessageRef> refs, MessageHandler handler) throws IOException;

    /**
     * Fetches {@code refs} like {@link #fetch(List, MessageHandler)}, telling the session that {@code upcoming}
     * is the next round it will be asked for, so it may have the server start on it now. Messages of
     * {@code upcoming} that arrive during this call go to {@code handler}, after those of {@code refs}; the call
     * that asks for them gets only the rest, so every message reaches a handler once, in order. A session that
     * fetches ahead is still correct when the next call is something else; it only wasted the work.
     */
    default Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler)
            throws IOException {
        return fetch(refs, handler);
    }

    /**
     * Fetches {@code refs} while the round before them is routed on another thread: the actions that route posts to
     * {@code routed} during this call are sent and answered before it returns, and only then is {@code upcoming}
     * announced (once they are answered, so their answers never wait for its bodies). A session that cannot send
     * them while it reads (this default) applies them after the fetch if they were posted by then, else closes the
     * hand-over and leaves them to the poster; it announces nothing.
     */
    default Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler,
            RoutedActions routed) throws IOException {
        Map<MessageRef, Exception> failures = fetch(refs, handler);
        Map<MessageRef, AfterProcessing> actions = routed.closeOrTake();
        if (actions != null && !actions.isEmpty()) {
            prepareFolders(AfterProcessing.folders(actions.values()), routed.createFolders());
            apply(actions);
        }
        return failures;
    }

    /**
     * The Message-ID of each of {@code refs} that the server answered for, by identity, read from the header alone
     * (IMAP: BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)], POP3: TOP n 0), as {@link MessageIdValues#first} gives it:
     * {@link MessageIdValues#NONE} for a header without one. A message not answered for (gone, refused, an over-long
     * value) is left out: its key is known only once it is fetched. This default learns nothing.
     */
    default Map<String, String> messageIds(List<MessageRef> refs) throws IOException {
        return Map.of();
    }

    /**
     * Makes sure the folders after-processing copies or moves messages to exist, creating missing ones when
     * {@code create} is true. Protocols without folders (POP3) have nothing to do.
     *
     * @throws IOException when a folder is missing and may not be created, or the server refuses to create it
     */
    default void prepareFolders(Collection<String> folders, boolean create) throws IOException {
    }

    /**
     * The identities of those of {@code refs} the server shows \Seen now (IMAP: one UID SEARCH, RFC 3501 §6.4.4);
     * none where the protocol has no such flag (POP3, this default: "seen" lives in the client's UIDL store).
     */
    default Set<String> seenNow(Collection<MessageRef> refs) throws IOException {
        return Set.of();
    }

    /**
     * Applies after-processing actions, batching them by kind where the protocol allows. Implementations
     * apply copies before moves and deletions so a failed copy never loses the original.
     */
    void apply(Map<MessageRef, AfterProcessing> actions) throws IOException;

    /**
     * Makes the deletions applied so far final where the protocol defers them to the client (IMAP: one
     * UID EXPUNGE for the poll). POP3 deletions become final only at QUIT, in {@link #goodbye()}.
     */
    default void commit() throws IOException {
    }

    /**
     * True when the actions the server accepted in this session become final only at its {@link #goodbye()} (POP3:
     * DELE only marks a message, QUIT answered with +OK removes it, RFC 1939 §6), so the session must end for them
     * to count; false when they are final once answered (IMAP), and the session may be kept.
     */
    default boolean actionsFinalAtGoodbye() {
        return false;
    }

    /**
     * True when the last {@link #list} returned every message in the mailbox (no limit, filter or bound cut it), so
     * a message it does not hold is not on the server. False (this default) when the protocol cannot say so.
     */
    default boolean listedWholeMailbox() {
        return false;
    }

    /**
     * Ends the session like {@link #close()}, and throws when the actions the server accepted in it may not have
     * become final: never where they are final once answered (this default, IMAP: LOGOUT); over POP3 when QUIT was
     * not answered with +OK after DELE marked messages, naming the server and its answer.
     */
    default void goodbye() throws IOException {
        close();
    }

    /** Ends the session politely (LOGOUT / QUIT) and closes the connection; never throws. */
    @Override
    void close();

    /**
     * Closes the connection at once, without LOGOUT or QUIT, and may be called from another thread than the one
     * using the session: that thread's blocked read fails. Used when the connection broke or is out of step (a
     * polite goodbye would only wait for a server that does not answer) and to stop a stuck poll. A POP3
     * session's deletions are not applied (RFC 1939 §6). Never throws; {@link #close()} may follow.
     */
    void abort();
}
