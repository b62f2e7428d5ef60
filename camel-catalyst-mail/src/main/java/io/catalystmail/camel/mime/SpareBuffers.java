package io.catalystmail.camel.mime;

/**
 * One spare byte array per thread for a buffer every message needs while it is parsed (the parser's input buffer,
 * the base64 decoder's chunks), so a thread that maps message after message allocates it once. A buffer is taken
 * for one parse step on one thread and given back when that step ends; it never reaches an exchange, so exchanges
 * living at the same time never share one. A second taker on the same thread while the spare is out (a message
 * attached to a message) gets a new array. Bounded: one array of {@link #size} per thread and kind.
 */
final class SpareBuffers {

    private final int size;
    private final ThreadLocal<Slot> spare = ThreadLocal.withInitial(Slot::new);

    SpareBuffers(int size) {
        this.size = size;
    }

    /** This thread's spare, or a new array when it is out. */
    byte[] take() {
        Slot slot = spare.get();
        byte[] buffer = slot.buffer;
        if (buffer == null) {
            return new byte[size];
        }
        slot.buffer = null;
        return buffer;
    }

    /** Gives a buffer from {@link #take} back; the caller no longer uses it. */
    void giveBack(byte[] buffer) {
        if (buffer != null && buffer.length == size) {
            spare.get().buffer = buffer;
        }
    }

    /**
     * A thread's spare, or null while it is out. Taking and giving back write this field instead of the
     * thread-local map: ThreadLocal.set is a map update that the JIT compiler inlines at every take and give-back
     * where a part is read.
     */
    static final class Slot {
        byte[] buffer;
    }
}
