package io.catalystmail.camel.net;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

/**
 * A failed TCP connect told with the server it was for. The JDK's texts ("Connection refused", "Connect timed out",
 * a bare host name) name no port and no protocol, so an outage would reach the log as a failure of unknown origin,
 * on every poll while it lasts; named, it is one line that says which server to look at (and a consumer logs it
 * without a stack trace). The exception keeps its JDK type, so code that tells a refusal from a timeout still can.
 */
public final class ConnectFailures {

    private ConnectFailures() {
    }

    /**
     * @param server   the server as our errors name it, e.g. {@code "IMAP server " + settings.describe()}
     * @param settings the connection's settings, for the connect timeout
     * @param failure  what the connect threw
     * @return the same kind of failure, with a text that names {@code server}; {@code failure} itself when it
     *         already does or is not one of the connect's own (refused, no route, unknown host, timed out, reset)
     */
    public static IOException named(String server, ConnectionSettings settings, IOException failure) {
        String what = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (what.contains(settings.host() + ":" + settings.port())) {
            return failure;
        }
        IOException named;
        if (failure instanceof ConnectException) {
            named = new ConnectException("Cannot connect to " + server + ": " + what);
        } else if (failure instanceof NoRouteToHostException) {
            named = new NoRouteToHostException("Cannot connect to " + server + ": " + what);
        } else if (failure instanceof UnknownHostException) {
            named = new UnknownHostException("Cannot connect to " + server + ": unknown host " + what);
        } else if (failure instanceof SocketTimeoutException) {
            named = new SocketTimeoutException("Cannot connect to " + server + ": no answer within connectTimeout="
                    + settings.connectTimeout().toMillis() + " ms (" + what + ")");
        } else if (failure instanceof SocketException) {
            // a reset while the connect completes: a server that accepted and died at once (stopping, crashing)
            named = new SocketException("Cannot connect to " + server + ": " + what);
        } else {
            return failure; // not the connect's own failure (a TLS handshake, a greeting): named where it happened
        }
        named.initCause(failure);
        return named;
    }
}
