package io.catalystmail.camel;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.catalystmail.camel.mailbox.MessageRef;

/**
 * Messages found above maxMessageSize, by identity. Each is reported once; later polls leave it out of their
 * rounds, so one message whose server understates its size (and which therefore costs the connection when it
 * overruns) cannot block the messages behind it poll after poll. Bounded: the oldest entries are forgotten first,
 * and a forgotten message is only reported again.
 */
final class OversizedMessages {

    private static final int CAPACITY = 10_000;

    private final Set<String> identities = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CAPACITY;
        }
    });

    synchronized boolean known(MessageRef ref) {
        return identities.contains(ref.identity());
    }

    synchronized void remember(MessageRef ref) {
        identities.add(ref.identity());
    }
}
