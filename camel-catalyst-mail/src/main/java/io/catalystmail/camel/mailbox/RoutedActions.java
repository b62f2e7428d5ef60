package io.catalystmail.camel.mailbox;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The after-processing actions of the round in the route, handed to the fetch of the next round, which runs on
 * another thread meanwhile. The route posts them once its round is done; the fetch takes them between two responses
 * and puts them on the wire at once, in front of the round after the next, and has them answered before it returns.
 * A fetch that finishes before they come closes the hand-over instead, and the route applies them itself: the route
 * is the slower side then, and nothing would be gained by having the fetch wait. Neither side ever blocks on the
 * other. Thread-safe.
 */
public final class RoutedActions {

    private static final Object OPEN = new Object();
    private static final Object CLOSED = new Object();

    private final boolean createFolders;
    /** OPEN, then the posted actions or CLOSED; CLOSED again once the fetch took them. */
    private final AtomicReference<Object> state = new AtomicReference<>(OPEN);

    /** @param createFolders whether copy and move targets missing on the server are created first */
    public RoutedActions(boolean createFolders) {
        this.createFolders = createFolders;
    }

    public boolean createFolders() {
        return createFolders;
    }

    /**
     * Hands the routed round's actions to the fetch (an empty map: nothing to apply, the next round may go).
     *
     * @return false when the fetch finished before: the caller applies them itself
     */
    public boolean post(Map<MessageRef, AfterProcessing> actions) {
        return state.compareAndSet(OPEN, Map.copyOf(actions));
    }

    /** The posted actions, once (the fetch owns them from now on); null while none were posted. */
    @SuppressWarnings("unchecked")
    public Map<MessageRef, AfterProcessing> take() {
        Object s = state.get();
        if (s instanceof Map<?, ?> && state.compareAndSet(s, CLOSED)) {
            return (Map<MessageRef, AfterProcessing>) s;
        }
        return null;
    }

    /**
     * The fetch is done: closes the hand-over, so a later {@link #post} returns false, or takes the actions when they
     * were posted meanwhile (null otherwise).
     */
    public Map<MessageRef, AfterProcessing> closeOrTake() {
        if (state.compareAndSet(OPEN, CLOSED)) {
            return null;
        }
        return take();
    }
}
