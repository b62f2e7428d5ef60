package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages routed successfully whose key the idempotent repository failed to record (its database down): until the
 * record is made, this set is what says the message was routed, so no poll routes it again. The after-processing
 * entry ({@link UnfinishedActions}) cannot say it: there is none when no action is owed (delete=false and
 * markSeen=false), and it is dropped once the action succeeds (a \Seen that leaves the message listed with
 * unseen=false). Each poll records them again before it lists ({@link #recordOwed}); eager, a reservation is confirmed,
 * else the key is added. Bounded: past {@link #CAPACITY} the oldest is forgotten, with a WARN, and a key the
 * repository keeps rejecting while it records others is given up ({@link #GIVE_UP_AFTER}), with an ERROR: either
 * message may then be routed again. Used on the consumer's thread; guarded all the same, as stop() may read it.
 */
final class UnrecordedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    /** At most this many messages owed a record, as the consumer's other per-message sets from a server's answers. */
    static final int CAPACITY = 10_000;

    /**
     * Polls at which the repository may reject one key while it records others before that key is given up: enough
     * to ride out a repository recovering, few enough that a key it can never take (too long for its column) ends.
     */
    static final int GIVE_UP_AFTER = 5;

    /** At most this many messages named in the ERROR at stop; the count says the rest. */
    private static final int NAMED_AT_STOP = 20;

    /** A key to record: {@code reserved}, its eager reservation is to be confirmed, else it is to be added. */
    private record Owed(String key, boolean reserved, int rejections) {
        Owed failedOnceMore() {
            return new Owed(key, reserved, rejections + 1);
        }
    }

    /** The repository of the consumer's current start. */
    private volatile IdempotentRepository repository;
    /** The eager mode's reservations of the current start; null in the default mode. */
    private volatile IdempotentReservations reservations;
    /** By the message's identity (folder, UIDVALIDITY and UID, or UIDL): what the listing names. */
    private final Map<String, Owed> owed = new LinkedHashMap<>();
    /** The repository recorded a routed message's key since the last {@link #recordOwed}: it was up. */
    private boolean recordedSinceLastAttempt;

    /**
     * One per endpoint ({@link CatalystMailEndpoint#unrecordedKeys()}): a route stopped and started again while the
     * repository is down must not route again what it routed before, and Camel creates the route's consumer anew at
     * each start, for the same endpoint (the context's endpoint registry gives one endpoint per URI).
     */
    UnrecordedKeys() {
    }

    /** Each start gives it that start's repository and reservations. */
    void startWith(IdempotentRepository repository, IdempotentReservations reservations) {
        this.repository = repository;
        this.reservations = reservations;
    }

    /**
     * At the consumer's stop: one more try, then one ERROR naming what is still owed. Kept in memory, those messages
     * are not routed again by the endpoint's consumer, started again or not; a JVM restart forgets them.
     */
    void reportAtStop(String mailbox) {
        recordOwed();
        List<String> left;
        synchronized (this) {
            if (owed.isEmpty()) {
                return;
            }
            left = owed.entrySet().stream().limit(NAMED_AT_STOP)
                    .map(e -> e.getKey() + " (key " + e.getValue().key() + ")").toList();
        }
        int count = owedCount();
        LOG.error("{}: stopping with {} routed message(s) whose keys the idempotent repository has not recorded: {}{};"
                  + " the route does not route them again, started again or not, but they will be routed again"
                  + " after a JVM restart", mailbox, count, String.join(", ", left),
                count > left.size() ? " and " + (count - left.size()) + " more" : "");
    }

    /**
     * Records the key of a message whose route succeeded. When the repository fails, the message is remembered as
     * owed its record, and the failure is thrown on: it fails the poll, as before, and is reported.
     */
    void record(MessageRef ref, String key) {
        boolean reserved = reservations != null && reservations.unhold(ref);
        try {
            write(ref.identity(), key, reserved);
            synchronized (this) {
                recordedSinceLastAttempt = true;
            }
        } catch (RuntimeException | Error e) {
            remember(ref, new Owed(key, reserved, 0));
            throw e;
        }
    }

    /** True when the message was routed and its key is not recorded yet: it must not be routed again. */
    synchronized boolean owes(String identity) {
        return owed.containsKey(identity);
    }

    /**
     * Records the keys owed, oldest first, each forgotten once recorded. A key that fails goes to the back and the next
     * is tried, so one key the repository always rejects (a Message-ID longer than its column) blocks none behind it;
     * two failures in a row end the attempt (the repository is likely down) with one WARN. A failure counts against
     * its key only while the repository is seen recording others; past {@link #GIVE_UP_AFTER} such failures the key is
     * given up with one ERROR, as its message may then be routed again. The poll goes on; its candidates never include
     * the messages still owed.
     */
    void recordOwed() {
        List<Map.Entry<String, Owed>> due;
        boolean answeredBefore;
        synchronized (this) {
            if (owed.isEmpty()) {
                return;
            }
            due = new ArrayList<>(owed.entrySet());
            answeredBefore = recordedSinceLastAttempt;
            recordedSinceLastAttempt = false;
        }
        int recorded = 0;
        List<Map.Entry<String, Owed>> failed = new ArrayList<>();
        RuntimeException lastFailure = null;
        boolean failedBefore = false;
        for (Map.Entry<String, Owed> e : due) {
            try {
                write(e.getKey(), e.getValue().key(), e.getValue().reserved());
            } catch (RuntimeException failure) {
                failed.add(e);
                lastFailure = failure;
                if (failedBefore) {
                    break;
                }
                failedBefore = true;
                continue;
            }
            failedBefore = false;
            synchronized (this) {
                owed.remove(e.getKey());
            }
            recorded++;
        }
        // the repository recorded another key this poll or since the last: it is up, and rejects these keys
        boolean repositoryUp = recorded > 0 || answeredBefore;
        for (Map.Entry<String, Owed> e : failed) {
            failedAgain(e.getKey(), repositoryUp, lastFailure);
        }
        if (recorded > 0) {
            LOG.info("The idempotent repository recorded the keys of {} message(s) routed before it failed", recorded);
        }
        int left = owedCount();
        if (lastFailure != null && left > 0) {
            LOG.warn("The idempotent repository still fails to record {} message(s) routed before ({}); they are not"
                     + " routed again and their keys are recorded by a later poll", left, lastFailure.toString());
        }
    }

    /**
     * The failed key goes to the back; the failure counts against it while the repository records others, and past
     * the bound it is given up.
     */
    private synchronized void failedAgain(String identity, boolean repositoryUp, RuntimeException failure) {
        Owed entry = owed.remove(identity);
        if (entry == null) {
            return;
        }
        Owed counted = repositoryUp ? entry.failedOnceMore() : entry;
        if (counted.rejections() >= GIVE_UP_AFTER) {
            LOG.error("The idempotent repository rejected the key {} of message {} at {} polls while recording others"
                      + " ({}): it is given up and the message may be routed again", counted.key(), identity,
                    counted.rejections(), failure.toString());
            return;
        }
        owed.put(identity, counted);
    }

    private synchronized int owedCount() {
        return owed.size();
    }

    private void write(String identity, String key, boolean reserved) {
        if (reserved) {
            repository.confirm(key);
        } else {
            repository.add(key);
        }
        if (reservations != null) {
            reservations.routedHere(identity);
        }
    }

    private synchronized void remember(MessageRef ref, Owed key) {
        owed.put(ref.identity(), key);
        Iterator<String> oldest = owed.keySet().iterator();
        while (owed.size() > CAPACITY && oldest.hasNext()) {
            String forgotten = oldest.next();
            oldest.remove();
            LOG.warn("More than {} routed messages wait for the idempotent repository to record them: message {} is"
                     + " forgotten and may be routed again", CAPACITY, forgotten);
        }
    }
}
