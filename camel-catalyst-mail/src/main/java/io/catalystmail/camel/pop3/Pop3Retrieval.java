package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MailboxSession.MessageHandler;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.MessageTooLargeException;
import io.catalystmail.camel.mailbox.SizeLimitedInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RETR and DELE for the consumer, pipelined across rounds when the server announces PIPELINING (RFC 2449 §6.6).
 *
 * <ul>
 * <li>A fetch also sends the RETRs of the round it is told comes next (as much of it as {@link Pop3SendAhead}
 * allows: a command window, 1 MiB by LIST), in the same write, and leaves their replies unread: the server
 * streams them into the socket while the current round is routed, and the next fetch finds them waiting. Only
 * the socket buffers hold them.</li>
 * <li>DELE is sent only for messages whose exchange succeeded. When RETRs are outstanding, the DELEs go out
 * behind them and their replies are read after that round; a refusal among them is thrown by {@link #commit()}.
 * DELE only marks a message: nothing is removed before QUIT (RFC 1939 §6), which the session sends only after
 * every outstanding reply was read, so a failure or stop mid-pipeline (the connection dropped, no QUIT)
 * removes nothing, and a QUIT removes only what was routed.</li>
 * <li>Anything else on the connection (a listing, NOOP, commit, QUIT, a fetch of other messages) first reads the
 * outstanding replies; a message sent ahead but never asked for is read past (at most twice its LIST size, else
 * the connection is dropped without QUIT) and stays untouched on the server.</li>
 * </ul>
 */
final class Pop3Retrieval {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);

    /** A command sent whose reply is still unread. */
    private record Owed(boolean delete, MessageRef ref) {
    }

    private final Pop3Conversation conversation;
    private final Pop3Connection connection;
    private final long maxSize;
    /** In the order sent: the server answers in that order. */
    private final ArrayDeque<Owed> owed = new ArrayDeque<>();
    /**
     * The numbers DELE was accepted for: a bit per message number, where a tree of boxed numbers cost an entry per
     * message and a compile of TreeMap.put shared with every other sorted map in the JVM. Bounded: DELE goes only to
     * messages the listing named, whose numbers {@link MaildropSize} bounds.
     */
    private final BitSet deleted = new BitSet();
    private final List<String> refusedDeletions = new ArrayList<>();

    Pop3Retrieval(Pop3Conversation conversation, long maxSize) {
        this.conversation = conversation;
        this.connection = conversation.connection();
        this.maxSize = maxSize;
    }

    /** Message numbers the server accepted DELE for in this session (removed only if QUIT succeeds). */
    BitSet deleted() {
        return deleted;
    }

    /**
     * Streams {@code refs} to {@code handler}; when the server pipelines, also sends the RETRs of {@code upcoming}
     * (the next round) and leaves their replies for the call that asks for those messages.
     *
     * @return the messages that could not be handed over, with the reason; they stay on the server
     */
    Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming, MessageHandler handler)
            throws IOException {
        Map<MessageRef, Exception> failures = new LinkedHashMap<>();
        List<MessageRef> wanted = withinSizeLimit(refs, failures);
        if (wanted.isEmpty()) {
            return failures;
        }
        List<MessageRef> rest = notSentAhead(wanted);
        List<MessageRef> ahead = upcoming.isEmpty() || !conversation.pipelining() ? List.of()
                : Pop3SendAhead.choose(upcoming, wanted, owed.size(), rest.size(), maxSize, connection.describe());
        conversation.guarded("RETR", () -> {
            Set<MessageRef> asked = new HashSet<>(wanted);
            if (!ahead.isEmpty()) {
                // one write: what was not sent ahead, then the next round; the replies come in that order, after
                // those still owed
                List<String> commands = commands("RETR", rest, ahead.size());
                for (MessageRef ref : ahead) {
                    commands.add(command("RETR", ref));
                }
                connection.send(commands);
                readOwed(asked, handler, failures);
                for (MessageRef ref : rest) {
                    if (conversation.broken()) {
                        return;
                    }
                    retrieved(ref, connection.readReply(), handler, failures);
                }
                for (MessageRef ref : ahead) {
                    owed.add(new Owed(false, ref));
                }
            } else {
                readOwed(asked, handler, failures);
                conversation.pipelined(commands("RETR", rest, 0),
                        (index, reply) -> retrieved(rest.get(index), reply, handler, failures));
            }
        });
        return failures;
    }

    /** The refs of {@code wanted} whose RETR was not sent ahead by the fetch before. */
    private List<MessageRef> notSentAhead(List<MessageRef> wanted) {
        if (owed.isEmpty()) {
            return wanted;
        }
        Set<MessageRef> sentAhead = new HashSet<>();
        for (Owed o : owed) {
            if (!o.delete()) {
                sentAhead.add(o.ref());
            }
        }
        List<MessageRef> rest = new ArrayList<>(wanted.size());
        for (MessageRef ref : wanted) {
            if (!sentAhead.contains(ref)) {
                rest.add(ref);
            }
        }
        return rest;
    }

    /**
     * "VERB n" for each of {@code refs}, with room for {@code more}. Plain loops and one concatenation site, where
     * streams and lambdas per list made a dozen small classes that each compile on their own, two of them with C2 in
     * the benchmark's settled phase (after 7,000 messages: they run once per message).
     */
    private static List<String> commands(String verb, List<MessageRef> refs, int more) {
        List<String> commands = new ArrayList<>(refs.size() + more);
        for (MessageRef ref : refs) {
            commands.add(command(verb, ref));
        }
        return commands;
    }

    private static String command(String verb, MessageRef ref) {
        return verb + " " + ref.number();
    }

    /** The refs LIST does not announce as too large; the others are failures, never retrieved. */
    private List<MessageRef> withinSizeLimit(List<MessageRef> refs, Map<MessageRef, Exception> failures) {
        List<MessageRef> wanted = new ArrayList<>(refs.size());
        for (MessageRef ref : refs) {
            if (ref.size() > maxSize) {
                failures.put(ref, new MessageTooLargeException("POP3 server " + connection.describe(),
                        "UIDL " + ref.id(), ref.size(), maxSize, true));
            } else {
                wanted.add(ref);
            }
        }
        return wanted;
    }

    /**
     * Hands the message whose RETR reply was just read to the handler, or records why it cannot be. Runs once per
     * message: what only a failure needs is built in the methods below, so this one stays small to compile.
     */
    private void retrieved(MessageRef ref, Pop3Reply reply, MessageHandler handler, Map<MessageRef, Exception> failures)
            throws IOException {
        if (!reply.ok()) {
            failures.put(ref, refused(ref, reply));
            return;
        }
        String command = "RETR " + ref.number() + " (UIDL " + ref.id() + ")";
        conversation.nowAt(command);
        connection.startDeadline(command, "fetchTimeout", conversation.settings().operationTimeout());
        DotTerminatedInputStream body = connection.messageBody();
        SizeLimitedInputStream content = new SizeLimitedInputStream(body, connection.server(), "UIDL " + ref.id(),
                maxSize);
        try {
            handler.onMessage(new FetchedMessage(ref, Set.of(), null, -1, content));
        } catch (Exception e) {
            failures.put(ref, handlerFailed(ref, content, e));
        }
        if (content.exceeded()) {
            dropOversized();
            return;
        }
        body.drain();
    }

    private Pop3RefusedException refused(MessageRef ref, Pop3Reply reply) {
        return new Pop3RefusedException("POP3 server " + connection.describe() + " refused RETR for message "
                + ref.number() + " (UIDL " + ref.id() + "): " + reply);
    }

    /** Why the handler failed: the message was larger than maxMessageSize, or what it threw. */
    private Exception handlerFailed(MessageRef ref, SizeLimitedInputStream content, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        LOG.debug("handler failed for message {} (UIDL {}) from {}: {}", ref.number(), ref.id(),
                connection.describe(), e.toString());
        return content.exceeded() ? new MessageTooLargeException("POP3 server " + connection.describe(),
                "UIDL " + ref.id(), content.count(), maxSize, false) : e;
    }

    /**
     * The LIST size was false and the rest may never end: drops the connection instead of reading it; what this
     * round fetched before is still handed over, the rest waits for the next poll.
     */
    private void dropOversized() {
        conversation.breakOff();
        connection.close();
    }

    /**
     * Reads every reply still owed, in order: a RETR sent ahead goes to {@code handler} when its message is in
     * {@code asked}, else it is read past (the message stays on the server); a DELE's answer is recorded.
     */
    private void readOwed(Collection<MessageRef> asked, MessageHandler handler, Map<MessageRef, Exception> failures)
            throws IOException {
        while (!owed.isEmpty() && !conversation.broken()) {
            Owed next = owed.poll();
            if (next.delete()) {
                conversation.nowAt("DELE " + next.ref().number());
            }
            Pop3Reply reply = connection.readReply();
            if (next.delete()) {
                deleted(next.ref(), reply);
            } else if (asked.contains(next.ref())) {
                retrieved(next.ref(), reply, handler, failures);
            } else if (reply.ok()) {
                Pop3SendAhead.readPast(conversation, next.ref());
            }
        }
        owed.clear();
    }

    private void deleted(MessageRef ref, Pop3Reply reply) {
        if (reply.ok()) {
            deleted.set(ref.number());
        } else {
            refusedDeletions.add("message " + ref.number() + " (UIDL " + ref.id() + "): " + reply);
        }
    }

    /**
     * Marks {@code refs} (messages whose exchange succeeded) for deletion. With RETRs outstanding the DELEs go out
     * behind them and are answered later (see {@link #commit()}); otherwise they are answered now and a refusal
     * is thrown at once.
     */
    void delete(List<MessageRef> refs) throws IOException {
        if (!owed.isEmpty() && conversation.pipelining() && owed.size() + refs.size()
                <= Pop3Conversation.PIPELINE_WINDOW) {
            conversation.guarded("DELE", () -> {
                connection.send(commands("DELE", refs, 0));
                for (MessageRef ref : refs) {
                    owed.add(new Owed(true, ref));
                }
            });
            return;
        }
        conversation.guarded("DELE", () -> {
            readOwed(List.of(), null, null);
            conversation.pipelined(commands("DELE", refs, 0), (index, reply) -> deleted(refs.get(index), reply));
        });
        throwRefusedDeletions();
    }

    /** Reads every outstanding reply (see the class comment), so the connection is in step for the next command. */
    void settle() throws IOException {
        if (!owed.isEmpty()) {
            conversation.guarded("the replies to commands sent ahead", () -> readOwed(List.of(), null, null));
        }
    }

    /** Settles, then throws the refusals of DELEs answered since the last call. */
    void commit() throws IOException {
        settle();
        throwRefusedDeletions();
    }

    private void throwRefusedDeletions() throws Pop3RefusedException {
        if (!refusedDeletions.isEmpty()) {
            String refused = String.join("; ", refusedDeletions);
            refusedDeletions.clear();
            throw new Pop3RefusedException("POP3 server " + connection.describe() + " refused to delete " + refused);
        }
    }
}
