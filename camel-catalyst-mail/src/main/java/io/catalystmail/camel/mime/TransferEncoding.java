package io.catalystmail.camel.mime;

import org.apache.james.mime4j.util.MimeUtil;

/**
 * Chooses a Content-Transfer-Encoding for a part. Only 7bit, quoted-printable and base64 are produced, so a
 * composed message never needs 8BITMIME and never carries a line over the 998 octets of RFC 5322 section 2.1.1.
 */
final class TransferEncoding {

    /** RFC 5322 section 2.1.1: a line is at most 998 octets before its CRLF. */
    static final int MAX_LINE_OCTETS = 998;

    private TransferEncoding() {
    }

    /**
     * For text held in memory: 7bit when it is pure ASCII with short lines and no stray CR or NUL,
     * quoted-printable when it is mostly ASCII, base64 when most of it is not (it is shorter then).
     */
    static String forText(byte[] bytes) {
        int eightBit = 0;
        boolean unsafe = false;
        int lineLength = 0;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            if (b == '\n') {
                lineLength = 0;
                continue;
            }
            if (b == '\r') {
                // a CR not followed by LF is no line break; only quoted-printable can carry it safely
                if (i + 1 >= bytes.length || bytes[i + 1] != '\n') {
                    unsafe = true;
                }
                continue;
            }
            lineLength++;
            if (lineLength > MAX_LINE_OCTETS || b == 0) {
                unsafe = true;
            }
            if (b >= 0x80) {
                eightBit++;
            }
        }
        if (eightBit == 0 && !unsafe) {
            return MimeUtil.ENC_7BIT;
        }
        // quoted-printable triples each 8-bit octet; past about a third of them base64 is smaller
        if (eightBit * 3L > bytes.length) {
            return MimeUtil.ENC_BASE64;
        }
        return MimeUtil.ENC_QUOTED_PRINTABLE;
    }

    /** For text streamed from a source that cannot be inspected in advance: quoted-printable is safe for any bytes. */
    static String forStreamedText() {
        return MimeUtil.ENC_QUOTED_PRINTABLE;
    }

    /** Attachments and other binary parts. */
    static String forBinary() {
        return MimeUtil.ENC_BASE64;
    }
}
