package io.catalystmail.camel.mailbox;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes a message's content through while counting it, and fails once more than the limit was read: a server
 * may announce a small size and then send without end. Also tells how many octets really came.
 */
public final class SizeLimitedInputStream extends FilterInputStream {

    private final String server;
    private final String messageId;
    private final long limit;
    private long count;
    private boolean exceeded;

    public SizeLimitedInputStream(InputStream in, String server, String messageId, long limit) {
        super(in);
        this.server = server;
        this.messageId = messageId;
        this.limit = limit;
    }

    /** Octets read so far. */
    public long count() {
        return count;
    }

    /** True once the content went past the limit. */
    public boolean exceeded() {
        return exceeded;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            counted(1);
        }
        return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] discard = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(discard, 0, (int) Math.min(discard.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    private void counted(int n) throws MessageTooLargeException {
        count += n;
        if (count > limit) {
            exceeded = true;
            throw new MessageTooLargeException(server, messageId, count, limit, false);
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
