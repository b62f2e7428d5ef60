package io.catalystmail.camel.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.testsupport.RelayListener;

/**
 * A TCP relay in front of a real server, listening on a chosen loopback address (127.0.0.2 is loopback on Linux
 * too, but not a name the servers' certificate carries). It records what the client sends and can test whether
 * the client pipelines: once the client has sent {@code holdAfter}, the server's replies are withheld until the
 * client sends {@code releaseOn} as well. A client that waits for a reply first never sends it, and the relay
 * lets the replies through after a deadline, remembering that it had to.
 */
final class LoopbackRelay extends RelayListener {

    private static final long HOLD_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final ByteArrayOutputStream fromClient = new ByteArrayOutputStream();
    private byte[] holdAfter;
    private byte[] releaseOn;
    private int holdStart = -1;
    private boolean holding;
    private long holdDeadline;
    private boolean released;
    private boolean timedOut;

    LoopbackRelay(String bindAddress, int upstreamPort) throws IOException {
        super(InetAddress.getByName(bindAddress), upstreamPort);
        startAccepting("loopback-relay-accept");
    }

    /** Withholds the server's replies from the moment the client sent {@code after} until it sent {@code until}. */
    synchronized LoopbackRelay holdRepliesBetween(String after, String until) {
        holdAfter = after.getBytes(StandardCharsets.US_ASCII);
        releaseOn = until.getBytes(StandardCharsets.US_ASCII);
        return this;
    }

    /** True once the client sent the release text while the replies were still withheld. */
    synchronized boolean releasedByClient() {
        return released && !timedOut;
    }

    synchronized boolean timedOut() {
        return timedOut;
    }

    /** Everything the client sent, as ISO-8859-1 text (only the plain-text parts are meaningful). */
    synchronized String clientBytes() {
        return fromClient.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    protected void relay(Socket client, Socket server) throws IOException {
        pump(client.getInputStream(), server.getOutputStream(), true, "relay-client-to-server");
        pump(server.getInputStream(), client.getOutputStream(), false, "relay-server-to-client");
    }

    private void pump(InputStream in, OutputStream out, boolean clientToServer, String name) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (clientToServer) {
                        seenFromClient(buffer, n);
                    } else {
                        awaitRelease();
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the other side went away: close both
            }
            closeConnections();
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Called before the bytes are forwarded, so the server cannot answer before the hold is in place. */
    private synchronized void seenFromClient(byte[] buffer, int n) {
        fromClient.write(buffer, 0, n);
        if (holdAfter == null) {
            return;
        }
        byte[] all = fromClient.toByteArray();
        if (holdStart < 0) {
            int at = indexOf(all, holdAfter, 0);
            if (at >= 0) {
                holdStart = at;
                holding = true;
                holdDeadline = System.nanoTime() + HOLD_LIMIT_NANOS;
            }
        }
        if (holding && indexOf(all, releaseOn, holdStart) >= 0) {
            holding = false;
            released = true;
            notifyAll();
        }
    }

    private synchronized void awaitRelease() throws InterruptedException {
        while (holding) {
            long left = holdDeadline - System.nanoTime();
            if (left <= 0) {
                holding = false;
                timedOut = true;
                return;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private static int indexOf(byte[] data, byte[] part, int from) {
        outer:
        for (int i = Math.max(0, from); i <= data.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (data[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

}
