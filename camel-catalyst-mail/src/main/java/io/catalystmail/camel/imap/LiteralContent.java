package io.catalystmail.camel.imap;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The octets of an IMAP literal (RFC 3501 §4.3), written on demand so a large one, such as the message of an
 * APPEND, streams from its source instead of being held in memory. The size must be known before the first octet:
 * the literal announces it.
 */
public interface LiteralContent {

    /** The exact number of octets {@link #writeTo} writes. */
    long size();

    /** Writes exactly {@link #size()} octets; must not close {@code out}. */
    void writeTo(OutputStream out) throws IOException;

    /** A literal held in memory. */
    static LiteralContent of(byte[] bytes) {
        return new LiteralContent() {
            @Override
            public long size() {
                return bytes.length;
            }

            @Override
            public void writeTo(OutputStream out) throws IOException {
                out.write(bytes);
            }
        };
    }
}
