package io.catalystmail.camel.imap;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import io.catalystmail.camel.mailbox.ConnectionDroppedForSizeException;
import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MailboxSession.MessageHandler;
import io.catalystmail.camel.mailbox.MessageRef;

/**
 * Hands the BODY[] literals of UID FETCH responses to a {@link MessageHandler} while they stream from the
 * socket, for the refs asked for only, each at most once. Unsolicited FETCH responses (flag updates without
 * a body), EXPUNGE and EXISTS in between pass by harmlessly. A handler failure is recorded for its ref; the
 * reader then skips the rest of that literal and the next message follows.
 * <p>
 * RFC 3501 §7.4.2 does not fix the order of a FETCH response's items: a server may put the UID, FLAGS or
 * INTERNALDATE after the body. Without the UID the body can't be matched to its ref while it streams; without
 * FLAGS the consumer can't tell whether the message was flagged since it was listed (it must not be routed
 * then), nor fill in its flags and date. Such a body is spooled to a temporary file, never held in memory,
 * and handed over with every item once the response is complete; the servers seen so far (Dovecot, James,
 * GreenMail) answer in the order asked for, body last, so this is the rare path.
 */
final class MessageDelivery implements ImapResponseReader.BodyConsumer, Consumer<ImapResponse> {

    /**
     * The most octets above maxMessageSize read past (and thrown away) to keep the connection: a literal announced
     * longer than that costs the connection instead (a reconnect and a login), never gigabytes read until fetchTimeout.
     */
    static final long MOST_SKIPPED = 1L << 20;

    private final RefsByUid wanted;
    private final long maxSize;
    private final String server;
    private MessageHandler handler;
    private Map<MessageRef, Exception> failures = new LinkedHashMap<>();
    private final Map<Long, Path> spooled = new HashMap<>();
    private IOException spoolFailure;

    /**
     * @param maxSize a body literal longer than this is not handed over but recorded as too large for its ref
     * @param server  the server, as named in errors
     */
    MessageDelivery(Collection<MessageRef> refs, MessageHandler handler, long maxSize, String server) {
        wanted = new RefsByUid(refs.size());
        want(refs);
        this.handler = handler;
        this.maxSize = maxSize;
        this.server = server;
    }

    /** True while {@code ref}'s body has not arrived. */
    boolean stillWanted(MessageRef ref) {
        return wanted.contains(ref.uid());
    }

    /** Stops waiting for {@code ref}: its FETCH was answered without it. */
    void forget(MessageRef ref) {
        wanted.remove(ref.uid());
    }

    /** Adds messages to deliver when their bodies arrive: a round whose FETCH went out ahead of its turn. */
    void want(Collection<MessageRef> refs) {
        for (MessageRef ref : refs) {
            wanted.put(ref.uid(), ref);
        }
    }

    /**
     * From now on hands messages to {@code next} and records their failures afresh: a server may answer
     * pipelined commands in parallel (RFC 3501 §5.5), so bodies of a round fetched ahead can arrive while an
     * earlier command is awaited; they go to whichever handler is current then, each message once.
     */
    void handTo(MessageHandler next) {
        this.handler = next;
        this.failures = new LinkedHashMap<>();
    }

    /** The handler failures since the last {@link #handTo}. */
    Map<MessageRef, Exception> failures() {
        return failures;
    }

    /**
     * Hands over a body, or skips, fails or spools it. The rare paths are methods of their own: onBody may be inlined into
     * whichever per-response method of the reader HotSpot's C2 compiles (ImapResponseReader.read's callers), and C2
     * counts a callee's whole bytecode against that compile's inlining budget however seldom a path runs.
     */
    @Override
    public void onBody(FetchData soFar, String item, long origin, long length, InputStream content) throws IOException {
        if (origin >= 0 || !(item.equals("BODY[]") || item.equals("RFC822"))) {
            return; // another section: the reader skips it
        }
        if (length > maxSize) {
            tooLarge(soFar, length, content);
            return;
        }
        if (soFar.uid() >= 0 && !wanted.contains(soFar.uid())) {
            return; // not asked for, or delivered already: the reader skips it
        }
        if (soFar.uid() < 0 || soFar.flags() == null || soFar.internalDate() == null) {
            spool(soFar, content);
            return;
        }
        deliver(soFar, length, content);
    }

    /**
     * RFC822.SIZE understated the literal: it is skipped by the reader, never stored, and failed for its ref. A
     * literal longer than maxMessageSize plus {@link #MOST_SKIPPED} is not skipped but ends the fetch, the
     * connection out of step ({@link LiteralStream#abandon}), naming its ref for later polls to leave out. Without a
     * UID before the body, or for a message not asked for, there is no ref to leave out (the next poll would meet it
     * again), so that literal is skipped, as long as fetchTimeout allows.
     */
    private void tooLarge(FetchData soFar, long length, InputStream content) throws IOException {
        MessageRef ref = soFar.uid() < 0 ? null : wanted.remove(soFar.uid());
        if (ref == null) {
            return;
        }
        IOException dropped = ImapResponseReader.BodyConsumer.abandonIfFarAbove(content, length, maxSize,
                margin -> new ConnectionDroppedForSizeException(server, ref, length, maxSize, margin));
        if (dropped != null) {
            throw dropped;
        }
        failures.put(ref, new io.catalystmail.camel.mailbox.MessageTooLargeException(server, "UID " + ref.id(),
                length, maxSize, true));
    }

    /** A body ahead of its UID, FLAGS or INTERNALDATE: kept in a temp file until its response is complete. */
    private void spool(FetchData soFar, InputStream content) throws IOException {
        Path file = Files.createTempFile("catalystmail-imap-", ".eml");
        Path before = spooled.put(soFar.sequence(), file);
        if (before != null) {
            // the answer carries the body twice (BODY[] and RFC822): the last one is delivered, the first goes now,
            // else it would stay on disk for good, in nobody's keeping
            deleteQuietly(before);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            content.transferTo(out);
        }
    }

    /** A complete FETCH response: hands over a spooled body now that its UID, FLAGS and INTERNALDATE are known. */
    @Override
    public void accept(ImapResponse response) {
        if (spooled.isEmpty() || !response.isUntagged("FETCH")) {
            return; // the usual case: every body came after its UID, FLAGS and INTERNALDATE (no Long made per message)
        }
        Path file = spooled.remove(response.number());
        if (file == null) {
            return;
        }
        try (InputStream content = Files.newInputStream(file)) {
            deliver(response.fetch(), Files.size(file), content);
        } catch (IOException e) {
            spoolFailure = e;
        } finally {
            deleteQuietly(file);
        }
    }

    /** Throws a failure of the spool files, and removes any left (a response cut short). */
    void finish() throws IOException {
        spooled.values().forEach(MessageDelivery::deleteQuietly);
        spooled.clear();
        IOException failure = spoolFailure;
        spoolFailure = null;
        if (failure != null) {
            throw failure;
        }
    }

    private void deliver(FetchData data, long length, InputStream content) {
        // each message once: a second body for the same UID finds it gone
        MessageRef ref = wanted.remove(data.uid());
        if (ref == null) {
            return;
        }
        Set<String> flags = data.flags() == null ? Set.of() : Set.copyOf(data.flags());
        try {
            handler.onMessage(new FetchedMessage(ref, flags, data.internalDate(), length, content));
        } catch (Exception e) {
            // the handler's failure concerns this message only (MailboxSession contract); if the socket itself
            // failed, skipping the rest of the literal fails too and ends the fetch
            failures.put(ref, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a temp file left behind is harmless; the fetch result does not depend on it
        }
    }
}
