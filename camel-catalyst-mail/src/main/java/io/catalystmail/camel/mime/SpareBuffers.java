package io.catalystmail.camel.mime;

/**
 * One spare byte array per thread for a buffer every message needs while it is parsed (the parser's input buffer,
 * the base64 decoder's chunks), so a thread that maps message after message allocates it once. A buffer is taken
 * for one parse step on one thread and given back when that step ends; it never reaches an exchange, so exchanges
 * living at the same time never share one. A second taker on the same thread while the spare is out (a message
 * attached to a message) gets a new array. Bounded: one array of {@link #size} per thread and kind.
 */
final class SpareBuffers {

    private final ThreadLocal<Slot> spare;

    SpareBuffers(int size) {
        this.spare = ThreadLocal.withInitial(() -> new Slot(size));
    }

    /**
     * This thread's slot: a taker keeps it to give the buffer back to, so a take and its give-back cost one
     * thread-local look-up, and one inlined copy of it where the JIT compiler compiles a part's reading.
     */
    Slot slot() {
        return spare.get();
    }

    /**
     * A thread's spare, or null while it is out. Taking and giving back write this field instead of the
     * thread-local map: ThreadLocal.set is a map update that the JIT compiler inlines at every take and give-back
     * where a part is read.
     */
    static final class Slot {
        /** The size of the arrays {@link #take} makes and {@link #giveBack} keeps. */
        private final int size;
        byte[] buffer;

        Slot(int size) {
            this.size = size;
        }

        /** The spare, or a new array when it is out. */
        byte[] take() {
            byte[] taken = buffer;
            if (taken == null) {
                return new byte[size];
            }
            buffer = null;
            return taken;
        }

        /** Gives a buffer from {@link #take} back; the caller no longer uses it. */
        void giveBack(byte[] given) {
            if (given != null && given.length == size) {
                buffer = given;
            }
        }
    }
}
