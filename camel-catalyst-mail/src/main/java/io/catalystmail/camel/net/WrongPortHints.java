package io.catalystmail.camel.net;

import java.net.SocketTimeoutException;

/**
 * The likely fix, said in the error, when a greeting never came: a plain-text client on a port that expects TLS from
 * the first byte (993, 995, 465) waits for a greeting while the server waits for the client's TLS handshake, and all
 * either side can report is a read timeout. The reverse mistake is told by {@link TlsSockets}.
 */
public final class WrongPortHints {

    private WrongPortHints() {
    }

    /** The hint to append to a greeting's read timeout: empty when the connection spoke TLS from the start. */
    public static String afterSilence(ConnectionSettings settings) {
        return settings.implicitTls() ? "" : "; if this port expects TLS from the first byte (993, 995, 465), use imaps,"
                + " pop3s or smtps (or secure=true)";
    }

    /**
     * @param waited the read timeout of the greeting, already naming the server
     * @return the same timeout with the hint when the connection is plain text; {@code waited} itself otherwise
     */
    public static SocketTimeoutException noGreeting(SocketTimeoutException waited, ConnectionSettings settings) {
        if (settings.implicitTls()) {
            return waited;
        }
        SocketTimeoutException hinted = new SocketTimeoutException(waited.getMessage() + afterSilence(settings));
        hinted.initCause(waited);
        return hinted;
    }
}
