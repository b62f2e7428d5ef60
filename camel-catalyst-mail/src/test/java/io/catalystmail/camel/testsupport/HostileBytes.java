package io.catalystmail.camel.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.LongFunction;

/**
 * What a hostile server sends, generated as it is read, so a test can send gigabytes or forever without holding
 * them: a head, then {@code count} items, then a tail.
 */
public final class HostileBytes extends InputStream {

    /** Without end. */
    public static final long ENDLESS = Long.MAX_VALUE;

    private final LongFunction<String> item;
    private final long count;
    private final ByteArrayInputStream tail;
    private ByteArrayInputStream head;
    private byte[] current = new byte[0];
    private int pos;
    private long next;

    private HostileBytes(String head, LongFunction<String> item, long count, String tail) {
        this.head = bytes(head);
        this.item = item;
        this.count = count;
        this.tail = bytes(tail);
    }

    /** A finite answer, one byte per char (ISO-8859-1). */
    public static InputStream text(String answer) {
        return new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * {@code answer}, then a failure on the next read: a {@link FaultProxy} answering with it closes both sides, as a
     * server that says BYE and hangs up.
     */
    public static InputStream thenCut(String answer) {
        return new SequenceInputStream(text(answer), new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("the hostile server hangs up");
            }
        });
    }

    /** {@code head}, then {@code item(0) ... item(count - 1)}, then {@code tail}. */
    public static InputStream of(String head, LongFunction<String> item, long count, String tail) {
        return new HostileBytes(head, item, count, tail);
    }

    /** {@code head}, {@code unit} repeated {@code count} times, {@code tail}. */
    public static InputStream repeat(String head, String unit, long count, String tail) {
        byte[] bytes = unit.getBytes(StandardCharsets.ISO_8859_1);
        // one item of many units: fewer, larger reads
        int perItem = Math.max(1, 8192 / Math.max(1, bytes.length));
        String block = unit.repeat(perItem);
        long blocks = count == ENDLESS ? ENDLESS : count / perItem;
        long rest = count == ENDLESS ? 0 : count % perItem;
        return new SequenceInputStream(java.util.Collections.enumeration(List.of(
                of(head, i -> block, blocks, ""), bytes(unit.repeat((int) rest) + tail))));
    }

    private static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** Fills as much of {@code b} as the items allow, so a consumer gets large reads (and a socket large writes). */
    @Override
    public int read(byte[] b, int off, int len) {
        if (len == 0) {
            return 0;
        }
        int done = 0;
        if (head != null) {
            int n = head.read(b, off, len);
            if (n > 0) {
                return n;
            }
            head = null;
        }
        while (done < len) {
            if (pos == current.length) {
                if (next >= count) {
                    int n = tail.read(b, off + done, len - done);
                    if (n > 0) {
                        done += n;
                    }
                    break;
                }
                current = item.apply(next++).getBytes(StandardCharsets.ISO_8859_1);
                pos = 0;
                continue;
            }
            int n = Math.min(len - done, current.length - pos);
            System.arraycopy(current, pos, b, off + done, n);
            pos += n;
            done += n;
        }
        return done == 0 ? -1 : done;
    }
}
