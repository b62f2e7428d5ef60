package io.catalystmail.camel;

import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The POP3 consumer's own memory of the messages it routed (unseen=true without an idempotentRepository). POP3 has no
 * \Seen flag, so, like mail clients that leave mail on the server, the client remembers the UIDLs (RFC 1939 §7) of
 * what it took, and only while the server still lists them: a message gone from the maildrop never comes back under
 * its UIDL, except as a new copy where UIDLs are hashes of the content (which §7 allows), and that copy is new mail.
 * So after each listing of the whole maildrop the keys of messages no longer listed are dropped, and the store holds
 * about as many keys as routed messages left on the server (none with delete=true), not every message ever routed.
 * A listing cut by maxListedMessages or narrowed by a search filter prunes nothing; then the oldest keys go first
 * beyond {@link #CAPACITY}. Keys that are not the messages' POP URLs (idempotentKey=MESSAGE_ID) are never pruned,
 * only capped. Thread-safe: exchanges complete on the route's threads.
 */
final class SeenUidls extends ServiceSupport implements IdempotentRepository {

    /** At most this many keys, as the memory repository this replaces held. */
    static final int CAPACITY = 100_000;

    private final boolean locationKeys;
    private final Set<String> keys = new LinkedHashSet<>();

    /** @param locationKeys true when the keys are the messages' POP URLs (idempotentKey=LOCATION), so listings prune */
    SeenUidls(boolean locationKeys) {
        this.locationKeys = locationKeys;
    }

    /** After a listing of every message in the maildrop: forgets the keys of messages it no longer holds. */
    synchronized void keepOnlyListed(Collection<MessageRef> wholeMaildrop) {
        if (!locationKeys || keys.isEmpty()) {
            return;
        }
        // the keys still listed, not every listed one: a maildrop of 10,000 with a few hundred keys known costs a
        // lookup per message, not a set of 10,000
        Set<String> stillListed = new HashSet<>();
        for (MessageRef ref : wholeMaildrop) {
            if (keys.contains(ref.identity())) {
                stillListed.add(ref.identity());
            }
        }
        if (stillListed.isEmpty()) {
            // with delete=true none of the last poll's keys is listed again: one clear, not a removal per key (a
            // poll of 1,000 made HashMap.removeNode hot enough for a C2 compile in the benchmark's counted phase)
            keys.clear();
        } else {
            keys.retainAll(stillListed);
        }
    }

    @Override
    public synchronized boolean add(String key) {
        if (!keys.add(key)) {
            return false;
        }
        if (keys.size() > CAPACITY) {
            forgetOldest();
        }
        return true;
    }

    /** Beyond {@link #CAPACITY}, apart from {@link #add}, which runs once per message routed and stays small. */
    private void forgetOldest() {
        Iterator<String> oldest = keys.iterator();
        while (keys.size() > CAPACITY) {
            oldest.next();
            oldest.remove();
        }
    }

    @Override
    public synchronized boolean contains(String key) {
        return keys.contains(key);
    }

    @Override
    public synchronized boolean remove(String key) {
        return keys.remove(key);
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        keys.clear();
    }

    synchronized int size() {
        return keys.size();
    }
}
