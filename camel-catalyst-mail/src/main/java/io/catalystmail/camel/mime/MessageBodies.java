package io.catalystmail.camel.mime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stored part bodies of one message. Parts up to the threshold stay in the heap while the message's heap
 * budget lasts (so ten thousand parts just under the threshold cannot exhaust it); the rest go to temp files.
 * Registered on the exchange, it deletes those files when the exchange completes or fails.
 */
final class MessageBodies extends SynchronizationAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(MessageBodies.class);

    /** Heap one message's parts may use together, unless a single part under the threshold needs more. */
    private static final long HEAP_BUDGET = 16L * 1024 * 1024;

    private final TempBodyStore store;
    private final int threshold;
    private final List<Path> files = new ArrayList<>();
    private long heapLeft;
    /** The message's size on the wire, which no part's decoded body exceeds; -1 when unknown. */
    private final long messageSize;

    MessageBodies(TempBodyStore store, int threshold, long messageSize) {
        this.store = store;
        this.threshold = threshold;
        this.heapLeft = Math.max(HEAP_BUDGET, threshold);
        this.messageSize = messageSize;
    }

    /** A sink for one body; {@link BodySink#finish()} turns it into a {@link StoredBody}. */
    BodySink newSink() {
        return new BodySink(this, (int) Math.min(threshold, heapLeft), messageSize);
    }

    /** A sink for the whole message (raw mode): sized for it at once, within the heap limit. */
    BodySink newMessageSink() {
        BodySink sink = newSink();
        sink.reserve(messageSize);
        return sink;
    }

    Path createFile() throws IOException {
        Path file = store.createFile();
        synchronized (files) {
            files.add(file);
        }
        return file;
    }

    void heapUsed(int bytes) {
        heapLeft -= bytes;
    }

    boolean holdsFiles() {
        synchronized (files) {
            return !files.isEmpty();
        }
    }

    /** Deletes one body's file early, once its content has been taken elsewhere (e.g. into the text body). */
    void discard(StoredBody body) {
        if (body instanceof StoredBody.InFile inFile) {
            synchronized (files) {
                files.remove(inFile.file());
            }
            delete(inFile.file());
        }
    }

    /** Deletes every temp file of this message. */
    void release() {
        List<Path> toDelete;
        synchronized (files) {
            toDelete = new ArrayList<>(files);
            files.clear();
        }
        toDelete.forEach(MessageBodies::delete);
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Could not delete temp file {}: {}", file, e.toString());
        }
    }

    @Override
    public void onDone(Exchange exchange) {
        release();
    }
}
