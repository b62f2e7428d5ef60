package io.catalystmail.camel.operations;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import io.catalystmail.camel.mailbox.MessageTooLargeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of a fetch with fetchAs=iterator: the messages, fetched a round at a time over the connection it borrowed
 * while the split reads them, so memory holds one round however many are fetched. When the last message was taken,
 * or the iterator is closed (Camel's splitter closes a Closeable iterator; the exchange's completion does too, for a
 * route that never reads it), the connection goes back to the pool; one a round failed on is closed instead, unless
 * the failure left it in step ({@link FailedOperation}).
 */
final class StreamedFetch implements Iterator<Message>, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamedFetch.class);

    /** Where the connection goes when the iterator is done with it. */
    @FunctionalInterface
    interface Return {
        void connection(boolean usable);
    }

    private final ImapOperationSession session;
    private final MessageFetcher fetcher;
    private final Deque<Long> left;
    private final int roundSize;
    private final String folder;
    private final long uidValidity;
    private final Exchange exchange;
    private final Duration roundTimeout;
    /** The endpoint's name of the server, for a round's failure. */
    private final String server;
    private final Deque<Message> round = new ArrayDeque<>();
    private Return giveBack;
    private boolean done;

    StreamedFetch(ImapOperationSession session, MessageFetcher fetcher, List<Long> uids, int roundSize, String folder,
            long uidValidity, Exchange exchange, Duration roundTimeout, String server) {
        this.session = session;
        this.fetcher = fetcher;
        this.left = new ArrayDeque<>(uids);
        this.roundSize = Math.max(1, roundSize);
        this.folder = folder;
        this.uidValidity = uidValidity;
        this.exchange = exchange;
        this.roundTimeout = roundTimeout;
        this.server = server;
    }

    /** Hands the connection to the iterator, which returns it through {@code giveBack} when it is done. */
    synchronized void lend(Return giveBack) {
        this.giveBack = giveBack;
        if (left.isEmpty()) {
            finish(true);
        }
    }

    @Override
    public synchronized boolean hasNext() {
        if (exchange.isFailed()) {
            // a split that stopped on an exception still drains its iterator to release its exchanges (Camel's
            // MulticastProcessor); nothing more is fetched for it
            round.clear();
            finish(true);
            return false;
        }
        while (round.isEmpty() && !done && !left.isEmpty()) {
            fetchRound(); // a round may come back empty: every message in it was above maxMessageSize
        }
        return !round.isEmpty();
    }

    @Override
    public synchronized Message next() {
        if (!hasNext()) {
            throw new NoSuchElementException("every fetched message was read");
        }
        Message next = round.pollFirst();
        if (round.isEmpty() && left.isEmpty()) {
            finish(true);
        }
        return next;
    }

    private void fetchRound() {
        List<Long> uids = new ArrayList<>(Math.min(roundSize, left.size()));
        while (uids.size() < roundSize && !left.isEmpty()) {
            uids.add(left.pollFirst());
        }
        Map<Long, MessageTooLargeException> tooLarge = new LinkedHashMap<>();
        boolean ok = false;
        // a RuntimeException leaves it usable only when it came after the answer was read: kept then, as the
        // producer keeps it after a whole operation
        boolean inStep = true;
        try {
            round.addAll(session.timed("fetch", roundTimeout,
                    () -> fetcher.fetch(session, uids, folder, uidValidity, exchange, tooLarge)).values());
            ok = true;
        } catch (IOException e) {
            // the rule of a whole operation: a round that failed in step (a refusal, messages that could not be
            // mapped) gives the connection back, any other closes it, and the failure names operation and folder
            inStep = FailedOperation.inStep(session, e);
            throw new UncheckedIOException(FailedOperation.named(MailboxOperation.FETCH, server, folder, null,
                    session, e));
        } finally {
            if (!ok) {
                finish(inStep);
            }
        }
        tooLarge.values().forEach(e -> LOG.warn("fetch from {}: {}", folder, e.getMessage()));
        if (round.isEmpty() && left.isEmpty()) {
            finish(true);
        }
    }

    /** Stops fetching and gives the connection back (a split that stopped early, or the exchange is done). */
    @Override
    public synchronized void close() {
        round.clear();
        finish(true);
    }

    private void finish(boolean usable) {
        if (!done) {
            done = true;
            left.clear();
            if (giveBack != null) {
                giveBack.connection(usable && session.isUsable());
            }
        }
    }
}
