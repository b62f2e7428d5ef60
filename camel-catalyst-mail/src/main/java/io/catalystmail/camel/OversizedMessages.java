package io.catalystmail.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * Messages found above maxMessageSize, by identity. Each is reported once; later polls leave it out of their
 * rounds, so one message whose server understates its size (and which therefore costs the connection when it
 * overruns) cannot block the messages behind it poll after poll. One that cost the connection owes its failure action
 * (moveFailedTo) still, as the connection that met it was gone before the action could go out: the next poll takes it
 * ({@link #takeOwedAction}). Bounded: the oldest entries are forgotten first, and a forgotten message is only
 * reported again.
 */
final class OversizedMessages {

    private static final int CAPACITY = 10_000;

    /** By identity: whether the failure action is still owed. */
    private final Map<String, Boolean> identities = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized boolean isEmpty() {
        return identities.isEmpty();
    }

    synchronized boolean known(MessageRef ref) {
        return identities.containsKey(ref.identity());
    }

    /** Found too large in a round: its failure action went with the round's. */
    synchronized void remember(MessageRef ref) {
        identities.putIfAbsent(ref.identity(), false);
    }

    /** Found too large where the connection was dropped for it: its failure action is owed. */
    synchronized void rememberDropped(MessageRef ref) {
        identities.put(ref.identity(), true);
    }

    /** True once for a message whose failure action is owed: the caller has it done now. */
    synchronized boolean takeOwedAction(MessageRef ref) {
        return identities.replace(ref.identity(), true, false);
    }
}
