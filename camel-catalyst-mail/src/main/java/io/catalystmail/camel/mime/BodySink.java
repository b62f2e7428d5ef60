package io.catalystmail.camel.mime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Collects one body in the heap up to a limit, then moves it to a temp file and streams the rest there. */
final class BodySink extends OutputStream {

    private static final int INITIAL_CAPACITY = 1024;
    /**
     * Past this a body grows at once to its message's size: a text part of a few KB keeps doubling (a buffer the
     * message's size would waste most of itself), an attachment takes one copy instead of several doublings.
     */
    private static final int DOUBLING_LIMIT = 8 * 1024;
    /** Unused tail a stored body may keep beyond its own size (the doubling below 8 KiB wastes at most 4 KiB). */
    private static final int SLACK = 4 * 1024;
    /**
     * Per thread, the buffer the last body was read into, kept for the next: a body is read into it and copied out
     * once at its exact size, instead of growing through a doubling series of arrays (1, 2, 4, 8 KiB, then the
     * message's size) that each get zeroed and copied. Kept only up to this size, so a thread holds at most this.
     */
    private static final int SPARE_KEPT = 256 * 1024;
    // the spare's size varies (it grows with the bodies): read and written here through the slot's field, not by
    // the slot's fixed-size take and giveBack
    private static final ThreadLocal<SpareBuffers.Slot> SPARE = ThreadLocal.withInitial(() -> new SpareBuffers.Slot(0));
    /** A thread's first spare: it grows with the bodies it reads, up to {@link #SPARE_KEPT}. */
    private static final int FIRST_SPARE = 16 * 1024;
    private static final byte[] EMPTY = new byte[0];

    private final MessageBodies owner;
    private final int heapLimit;
    /**
     * No body is larger than its message: a body that outgrows the first buffer grows to this at once (-1: unknown).
     */
    private final long sizeBound;
    private byte[] buffer;
    private int count;
    private Path file;
    private OutputStream fileOut;
    private long fileSize;
    /**
     * The slot the heap buffer was borrowed from (see {@link #SPARE}), null when the buffer is the body's own: a
     * borrowed one is copied out at finish and given back to it, never kept. Kept here so that borrowing and giving
     * back cost one thread-local look-up (and one inlined copy of it where a part's reading is compiled).
     */
    private SpareBuffers.Slot lender;

    /** @param sizeBound the size of the message the body belongs to, as the server announced it; -1 unknown */
    BodySink(MessageBodies owner, int heapLimit, long sizeBound) {
        this.owner = owner;
        this.heapLimit = heapLimit;
        this.sizeBound = sizeBound;
        // allocated by the first write, or borrowed by readFrom
        this.buffer = EMPTY;
    }

    /** Sizes the heap buffer for {@code expected} bytes at once, within the heap limit; before any write. */
    void reserve(long expected) {
        if (count == 0 && expected > buffer.length) {
            buffer = new byte[(int) Math.min(heapLimit, expected)];
        }
    }

    /**
     * The next heap buffer size for {@code needed} bytes: doubling, or past {@link #DOUBLING_LIMIT} at once the
     * message's size when it is known; within the heap limit either way.
     */
    private int grown(long needed) {
        boolean jump = buffer.length >= DOUBLING_LIMIT && sizeBound > needed;
        long size = Math.max(needed, jump ? sizeBound : Math.max(INITIAL_CAPACITY, (long) buffer.length * 2));
        return (int) Math.min(heapLimit, size);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        try {
            append(bytes, offset, length);
        } catch (IOException e) {
            throw new StorageFailure(e);
        }
    }

    private void append(byte[] bytes, int offset, int length) throws IOException {
        if (fileOut == null && (long) count + length <= heapLimit) {
            if (count + length > buffer.length) {
                buffer = Arrays.copyOf(buffer, grown((long) count + length));
            }
            System.arraycopy(bytes, offset, buffer, count, length);
            count += length;
            return;
        }
        if (fileOut == null) {
            file = owner.createFile();
            fileOut = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
            fileOut.write(buffer, 0, count);
            fileSize = count;
            giveBackSpare();
            buffer = null;
            count = 0;
        }
        fileOut.write(bytes, offset, length);
        fileSize += length;
    }

    /**
     * Reads {@code content} to its end straight into the heap buffer while the body fits it, so the bytes are not
     * first copied through a transfer buffer; past the limit they go on to the temp file like any other write.
     *
     * <p>The stream's class is settled here, before any loop: each of the parser's streams has a loop of its own
     * whose read call has one exact receiver. One loop shared by the base64 decoder and the parser's input made
     * that call bimorphic, and C2's profiled loop predication (it looks into branches of a loop that profiles say
     * run once per entry) hoisted the type guard of the second receiver in front of the loop: the first parts of
     * the other class after each compilation of the part's reading failed it (4 "profile_predicate" traps at the
     * loop head, HotSpot's limit for one site) and the part's reading was compiled again.
     */
    void readFrom(InputStream content) throws IOException {
        if (count == 0 && fileOut == null) {
            lender = SPARE.get();
            byte[] spare = lender.buffer;
            lender.buffer = null; // out while this body uses it: a body read meanwhile on this thread gets its own
            int wanted = firstBufferSize();
            buffer = spare != null && spare.length >= wanted ? spare : new byte[wanted];
        }
        boolean heapFull;
        if (content instanceof Base64DecodingInputStream) {
            heapFull = fillHeap((Base64DecodingInputStream) content);
        } else if (content instanceof DelimitedInput) {
            heapFull = fillHeap((DelimitedInput) content);
        } else {
            heapFull = fillHeapFromAny(content);
        }
        if (heapFull) {
            byte[] transfer = new byte[8192];
            for (int n = content.read(transfer); n >= 0; n = content.read(transfer)) {
                write(transfer, 0, n);
            }
        }
    }

    /** Reads into the heap buffer; true when its share is used up before the content ends (see readFrom). */
    private boolean fillHeap(Base64DecodingInputStream content) throws IOException {
        int room = heapRoom();
        while (room > 0 && counted(content.read(buffer, count, room))) {
            room = heapRoom();
        }
        return room == 0;
    }

    /** The same as {@link #fillHeap(Base64DecodingInputStream)} for the parser's input: an identity encoding. */
    private boolean fillHeap(DelimitedInput content) throws IOException {
        int room = heapRoom();
        while (room > 0 && counted(content.read(buffer, count, room))) {
            room = heapRoom();
        }
        return room == 0;
    }

    /** The same for any other stream (quoted-printable): rarer, in a loop of their own so as not to share one. */
    private boolean fillHeapFromAny(InputStream content) throws IOException {
        int room = heapRoom();
        while (room > 0 && counted(content.read(buffer, count, room))) {
            room = heapRoom();
        }
        return room == 0;
    }

    /**
     * The free bytes of the heap buffer, after growing it when it is full; 0 once the body has used up its heap
     * share (or the body already went to a temp file).
     */
    private int heapRoom() {
        if (fileOut != null) {
            return 0;
        }
        int capacity = Math.min(buffer.length, heapLimit);
        if (count < capacity) {
            return capacity - count;
        }
        if (count >= heapLimit) {
            return 0;
        }
        buffer = Arrays.copyOf(buffer, grown((long) count + 1));
        return Math.min(buffer.length, heapLimit) - count;
    }

    /** Counts {@code n} bytes read into the heap buffer; false when the read found the content's end. */
    private boolean counted(int n) {
        if (n < 0) {
            return false;
        }
        count += n;
        return true;
    }

    /**
     * The buffer a body starts in when this thread's spare is missing or smaller: the message's announced size at
     * once (at least {@link #FIRST_SPARE}, at most what the heap limit allows and a thread keeps), not a small one
     * that the loop of {@link #readFrom} grows. Growing there only on a thread's first bodies made the JIT compiler
     * drop that branch from the loop as never taken, so every new parsing thread's first large body (a consumer
     * started, a new fetch-ahead thread) deoptimised the compiled part reading and recompiled it. Now the loop grows
     * a buffer only when the server announced too little or nothing.
     */
    private int firstBufferSize() {
        long wanted = Math.max(FIRST_SPARE, sizeBound);
        return (int) Math.min(wanted, Math.min(SPARE_KEPT, Math.max(heapLimit, 16)));
    }

    /** The stored body; the sink must not be written to afterwards. */
    StoredBody finish() throws IOException {
        if (fileOut != null) {
            try {
                fileOut.close();
            } catch (IOException e) {
                throw new StorageFailure(e);
            }
            return new StoredBody.InFile(file, fileSize);
        }
        byte[] kept = lender != null ? Arrays.copyOf(buffer, count) : fitted();
        giveBackSpare();
        buffer = kept;
        owner.heapUsed(kept.length);
        return new StoredBody.InMemory(kept, count);
    }

    /**
     * The body decoded as text straight from the heap buffer, without the copy {@link #finish()} keeps: for a text
     * part that becomes the exchange's body, whose bytes nobody needs afterwards. Null, with the sink left as it
     * was for {@link #finish()}, when the body went to a temp file or is longer than {@code maxLength}.
     */
    TextCharsets.Decoded finishAsText(String charset, int maxLength) {
        if (fileOut != null || count > maxLength) {
            return null;
        }
        TextCharsets.Decoded text = TextCharsets.decodeReporting(buffer, 0, count, charset);
        owner.heapUsed(count);
        giveBackSpare();
        buffer = EMPTY;
        return text;
    }

    /**
     * Gives a borrowed heap buffer (as this body grew it, unless too large) back as this thread's spare, once its
     * bytes have been copied out or written to the file; a buffer that is not borrowed belongs to the body.
     */
    private void giveBackSpare() {
        if (lender != null && buffer.length <= SPARE_KEPT) {
            lender.buffer = buffer;
        }
        lender = null;
    }

    /**
     * The heap buffer to keep for the exchange's life: without the tail it grew for a message size the body did
     * not reach when that tail is more than the body itself. The announced size is the whole message's (every part
     * of a large message jumps to it) and comes from the server, which may announce gigabytes for a small message:
     * a stored body keeps at most about twice its octets, whatever was announced.
     */
    private byte[] fitted() {
        return buffer.length - count > count + SLACK ? Arrays.copyOf(buffer, count) : buffer;
    }

    @Override
    public void close() throws IOException {
        if (lender != null) {
            // not finished (a failed read): the bytes are dropped, the spare goes back for the next body
            giveBackSpare();
            buffer = null;
        }
        if (fileOut != null) {
            fileOut.close();
        }
    }

    /** Writing a temp file failed: the local disk, not the message, is at fault. */
    static final class StorageFailure extends IOException {

        private static final long serialVersionUID = 1L;

        StorageFailure(IOException cause) {
            super("Could not write a message part to a temp file: " + cause.getMessage(), cause);
        }
    }
}
