package io.catalystmail.camel.net;

import java.io.IOException;
import java.net.Socket;

import jdk.net.ExtendedSocketOptions;

/**
 * TCP_QUICKACK (Linux): acknowledge what arrives at once instead of holding the ACK back for up to 40 ms in the hope
 * of sending it with data. A client that has written all it will write and now waits for several replies has no data
 * to send, and a server whose replies leave as separate small segments under Nagle's algorithm (RFC 896) sends the
 * second only when the first is acknowledged: the delayed ACK (RFC 1122 §4.2.3.2) then stalls each exchange. The
 * kernel leaves quick-ACK mode again by itself, so it is armed anew before each wait. Where the option does not
 * exist (other systems) nothing is done.
 */
public final class QuickAcks {

    private final Socket socket;
    private boolean supported;

    /** @param socket the TCP socket (under any TLS layer) */
    public QuickAcks(Socket socket) {
        this.socket = socket;
        this.supported = socket.supportedOptions().contains(ExtendedSocketOptions.TCP_QUICKACK);
    }

    /** True while the option can be set on this socket (Linux). */
    public boolean supported() {
        return supported;
    }

    /** Asks for immediate ACKs until the kernel drops back to delayed ones; a failure only stops asking. */
    public void arm() {
        if (!supported) {
            return;
        }
        try {
            socket.setOption(ExtendedSocketOptions.TCP_QUICKACK, true);
        } catch (IOException | UnsupportedOperationException e) {
            // a closed socket fails its next read anyway, and without the option replies are only slower
            supported = false;
        }
    }
}
