package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.io.OutputStream;

/** The message an SMTP transaction carries, written on demand so it can be streamed from any source. */
public interface MessageContent {

    /** Exact size in octets when known (sent as SIZE=), -1 when not. */
    long size();

    /** True when the body has octets above 127, so BODY=8BITMIME (RFC 6152) is asked for. */
    boolean needs8BitMime();

    /** True when headers or envelope carry non-ASCII addresses or header text (SMTPUTF8, RFC 6531). */
    boolean needsSmtpUtf8();

    /**
     * Writes the RFC 822 bytes. Any line endings: the session normalises them to CRLF and dot-stuffs. Must not
     * close {@code out} (closing it only flushes).
     */
    void writeTo(OutputStream out) throws IOException;

    /**
     * True when {@link #writeTo} can be called again and writes the same message: a content read from a stream once
     * says false. Such a content is written only after the server accepted the envelope, so a reused connection
     * found dead meanwhile can still be replaced and the message sent whole on the new one.
     */
    default boolean repeatable() {
        return true;
    }
}
