package io.catalystmail.camel.mailbox;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The read timeout of a server that began a reply and stalled before the end of its line, in the same words over
 * IMAP and POP3. Octets came, so this is no port waiting for a TLS handshake
 * ({@link io.catalystmail.camel.net.WrongPortHints}, which reads {@link SocketTimeoutException#bytesTransferred}):
 * the error says that the server stalled, not that it never answered.
 */
public final class StalledReply {

    private StalledReply() {
    }

    /**
     * @param server      the server as errors name it ({@code IMAP server host:port})
     * @param reply       which reply: {@code (the greeting)} or {@code to RETR}
     * @param readTimeout how long the line was waited for
     * @param cause       the reader's own timeout
     */
    public static SocketTimeoutException of(String server, String reply, Duration readTimeout,
            SocketTimeoutException cause) {
        SocketTimeoutException named = new SocketTimeoutException(server + " began a reply " + reply
                + " but did not end its line within " + readTimeout.toMillis() + " ms (readTimeout)");
        named.bytesTransferred = Math.max(1, cause.bytesTransferred); // at least the octet that began the line
        named.initCause(cause);
        return named;
    }
}
