package io.catalystmail.camel.net;

import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.util.Set;

/**
 * The likely fix, said in the error, when a greeting never came: a plain-text client on a port that expects TLS from
 * the first byte (993, 995, 465) waits for a greeting while the server waits for the client's TLS handshake, and all
 * either side can report is a read timeout. The reverse mistake is told by {@link TlsSockets}.
 * <p>
 * On the standard ports of plain text and STARTTLS the hint would mislead: there a silent greeting is a stalled or
 * overloaded server (an outage seen on every poll), not a port that waits for TLS. So would it after a greeting that
 * began and stalled: a server waiting for a TLS handshake sends nothing at all, so any octet of a greeting rules it
 * out. A reader says that octets came by the timeout's {@link InterruptedIOException#bytesTransferred}.
 */
public final class WrongPortHints {

    /** SMTP relay (25), submission (587, RFC 6409 §3.1), POP3 (110, RFC 1939 §3), IMAP (143, RFC 9051 §2.1). */
    private static final Set<Integer> PLAIN_TEXT_PORTS = Set.of(25, 110, 143, 587);

    private WrongPortHints() {
    }

    /**
     * The hint to append to a greeting's read timeout: empty when the connection spoke TLS from the start or the port
     * is a standard plain-text one.
     */
    public static String afterSilence(ConnectionSettings settings) {
        return !hinted(settings) ? "" : "; if this port expects TLS from the first byte (993, 995, 465), use imaps,"
                + " pop3s or smtps (or secure=true)";
    }

    /**
     * @param waited the read timeout of the greeting, already naming the server; it or a cause reports the octets of
     *               the greeting that came in {@link InterruptedIOException#bytesTransferred}
     * @return the same timeout with the hint when the connection is plain text and nothing came; {@code waited}
     *         itself otherwise
     */
    public static SocketTimeoutException noGreeting(SocketTimeoutException waited, ConnectionSettings settings) {
        if (!hinted(settings) || partlyGreeted(waited)) {
            return waited;
        }
        SocketTimeoutException hinted = new SocketTimeoutException(waited.getMessage() + afterSilence(settings));
        hinted.initCause(waited);
        return hinted;
    }

    /** Looks a few causes deep (the readers' own timeout is wrapped once or twice), never round a cycle. */
    private static boolean partlyGreeted(Throwable waited) {
        Throwable t = waited;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof InterruptedIOException cut && cut.bytesTransferred > 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean hinted(ConnectionSettings settings) {
        return !settings.implicitTls() && !PLAIN_TEXT_PORTS.contains(settings.port());
    }
}
