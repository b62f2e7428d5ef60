package io.catalystmail.camel.smtp;

import java.io.IOException;

/**
 * A DATA stream that takes octets already in their wire form (RFC 5321 §4.5.2) as they are, without looking at every
 * octet for line ends and leading dots: the lines of a base64 part (RFC 2045 §6.8), made of the 65 characters of the
 * base64 alphabet and CRLF only, which the encoder knows without looking. The rest of a message goes through
 * {@code write} and is normalised and dot-stuffed there.
 */
public interface PreparedLinesOutput {

    /**
     * Writes whole lines as they are. The caller guarantees what makes them need no change: every line, the last one
     * included, ends with CRLF; no other CR or LF occurs; no line starts with '.'. A block that does not end with CRLF
     * is written the ordinary way.
     */
    void writePreparedLines(byte[] lines, int off, int len) throws IOException;
}
