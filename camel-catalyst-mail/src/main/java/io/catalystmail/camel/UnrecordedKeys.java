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
 * else the key is added. Bounded: past {@link #CAPACITY} the oldest is forgotten, with a WARN, as it may then be
 * routed again. Used on the consumer's thread; guarded all the same, as stop() may read it.
 */
final class UnrecordedKeys {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    /** At most this many messages owed a record, as the consumer's other per-message sets from a server's answers. */
    static final int CAPACITY = 10_000;

    /** A key to record: {@code reserved}, its eager reservation is to be confirmed, else it is to be added. */
    private record Owed(String key, boolean reserved) {
    }

    private final IdempotentRepository repository;
    /** The eager mode's reservations; null in the default mode. */
    private final IdempotentReservations reservations;
    /** By the message's identity (folder, UIDVALIDITY and UID, or UIDL): what the listing names. */
    private final Map<String, Owed> owed = new LinkedHashMap<>();

    UnrecordedKeys(IdempotentRepository repository, IdempotentReservations reservations) {
        this.repository = repository;
        this.reservations = reservations;
    }

    /**
     * Records the key of a message whose route succeeded. When the repository fails, the message is remembered as
     * owed its record, and the failure is thrown on: it fails the poll, as before, and is reported.
     */
    void record(MessageRef ref, String key) {
        boolean reserved = reservations != null && reservations.unhold(ref);
        try {
            write(ref.identity(), key, reserved);
        } catch (RuntimeException | Error e) {
            remember(ref, new Owed(key, reserved));
            throw e;
        }
    }

    /** True when the message was routed and its key is not recorded yet: it must not be routed again. */
    synchronized boolean owes(String identity) {
        return owed.containsKey(identity);
    }

    /**
     * Records the keys owed, oldest first, each forgotten once recorded. The first failure ends the attempt (the
     * repository is likely still down) with one WARN; the poll goes on, its candidates never include these messages.
     */
    void recordOwed() {
        List<Map.Entry<String, Owed>> due;
        synchronized (this) {
            if (owed.isEmpty()) {
                return;
            }
            due = new ArrayList<>(owed.entrySet());
        }
        int recorded = 0;
        for (Map.Entry<String, Owed> e : due) {
            try {
                write(e.getKey(), e.getValue().key(), e.getValue().reserved());
            } catch (RuntimeException failure) {
                LOG.warn("The idempotent repository still fails to record {} message(s) routed before ({}); they are"
                         + " not routed again and their keys are recorded by a later poll", due.size() - recorded,
                        failure.toString());
                return;
            }
            synchronized (this) {
                owed.remove(e.getKey());
            }
            recorded++;
        }
        LOG.info("The idempotent repository recorded the keys of {} message(s) routed before it failed", recorded);
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
