package io.catalystmail.camel.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 between a client under test and a real server that injects one fault: when a
 * trigger text first appears in the chosen direction it either cuts both connections or stalls (stops
 * forwarding, keeps the sockets open). The fault fires on the first connection only unless {@link #everyTime}
 * is set, so a consumer can show that it recovers on the next poll. Every byte the client sends is recorded
 * ({@link #clientBytes()}), so a test can show what did, or did not, reach the wire. It can listen on another
 * local address than loopback, to look like a remote server.
 */
public final class FaultProxy implements AutoCloseable {

    /** Which byte stream the trigger is looked for in. */
    public enum Direction { CLIENT_TO_SERVER, SERVER_TO_CLIENT }

    /**
     * What happens when the trigger is seen. STALL keeps reading and discards what it reads, so the sender never
     * blocks; FREEZE stops reading, as a hung server does, so the sender's writes block once the socket buffers
     * are full.
     */
    public enum Fault { CUT, STALL, FREEZE, ANSWER, NONE }

    /** A hostile server's answer to a client's command line: any bytes, possibly without end. */
    @FunctionalInterface
    public interface Answer {
        InputStream to(String commandLine) throws IOException;
    }

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicBoolean fired = new AtomicBoolean();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peakOpen = new AtomicInteger();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Direction direction = Direction.SERVER_TO_CLIENT;
    private volatile byte[] trigger;
    private volatile int offsetAfterTrigger;
    private volatile Fault fault = Fault.NONE;
    private volatile boolean everyTime;
    private volatile boolean refuse;
    /** While a client is connected, what a second one is told before it is closed; null: no such limit. */
    private volatile byte[] busyAnswer;
    private final ByteArrayOutputStream clientBytes = new ByteArrayOutputStream();
    private volatile Runnable onFire = () -> { };
    private volatile Answer answer;
    private volatile int answerBytesPerSecond;
    /** A second command the connection with the {@link #answer} gets a hostile answer to; null: none. */
    private volatile String secondTrigger;
    private volatile Answer secondAnswer;

    public FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket();
        // a fixed, small receive window (no auto-tuning) so that FREEZE pushes back on a sender quickly
        listener.setReceiveBufferSize(64 * 1024);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        Thread acceptor = new Thread(this::acceptLoop, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * Arms the fault: when {@code text} appears in {@code dir}, let {@code extraBytes} more bytes through (to cut
     * in the middle of a literal, say), then apply {@code what}.
     */
    public FaultProxy arm(Direction dir, String text, int extraBytes, Fault what) {
        this.direction = dir;
        this.trigger = text.getBytes(StandardCharsets.ISO_8859_1);
        this.offsetAfterTrigger = extraBytes;
        this.fault = what;
        this.fired.set(false);
        return this;
    }

    /**
     * Runs {@code action} right after the fault fired (after the cut, or when the stall begins): a test can make
     * the server behave as a real one would when the connection is lost, where the test server does not.
     */
    public FaultProxy onFire(Runnable action) {
        this.onFire = action;
        return this;
    }

    /**
     * Plays a hostile server: the first client command line containing {@code text} never reaches the real server;
     * the client gets {@code answer}'s bytes instead (the line is given, to echo its tag), at most
     * {@code bytesPerSecond} of them a second when positive (a server that drips). Once a finite answer is sent,
     * proxying goes on, so the rest of the session, and the next connection, meet the real server.
     */
    public FaultProxy answer(String text, Answer answer, int bytesPerSecond) {
        this.answer = answer;
        this.answerBytesPerSecond = bytesPerSecond;
        this.secondTrigger = null;
        return arm(Direction.CLIENT_TO_SERVER, text, 0, Fault.ANSWER);
    }

    /**
     * After {@link #answer}: the first later command line of the same connection containing {@code text} gets
     * {@code answer}'s bytes too, in place of the real server's (a forged SELECT, then a hostile SEARCH).
     */
    public FaultProxy thenAnswer(String text, Answer answer) {
        this.secondAnswer = answer;
        this.secondTrigger = text;
        return this;
    }

    /** The tag (first word) of a command line, for scripted answers. */
    public static String tagOf(String commandLine) {
        int space = commandLine.indexOf(' ');
        return space < 0 ? commandLine.strip() : commandLine.substring(0, space);
    }

    /** Fire on every connection, not just the first. */
    public FaultProxy everyTime() {
        this.everyTime = true;
        return this;
    }

    /** While true, new connections are accepted and closed at once: the server looks unreachable. */
    public void refuseConnections(boolean refuse) {
        this.refuse = refuse;
        if (refuse) {
            dropAll();
        }
    }

    /**
     * Admits one client connection at a time, as a POP3 server's exclusive maildrop lock does (RFC 1939 §4); a
     * client arriving while another is connected gets {@code refusal} (a line without CRLF) and is closed.
     */
    public FaultProxy oneClientAtATime(String refusal) {
        this.busyAnswer = (refusal + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        return this;
    }

    public void disarm() {
        this.fault = Fault.NONE;
    }

    public boolean fired() {
        return fired.get();
    }

    public int connections() {
        return connections.get();
    }

    /** Client connections open now. */
    public int openNow() {
        return open.get();
    }

    /** The most client connections open at the same time so far (one ends when its client closes it). */
    public int peakOpen() {
        return peakOpen.get();
    }

    /** Every byte any client sent through this proxy so far, connections concatenated. */
    public byte[] clientBytes() {
        synchronized (clientBytes) {
            return clientBytes.toByteArray();
        }
    }

    /** {@link #clientBytes()} as ISO-8859-1 text (one char per byte). */
    public String clientText() {
        return new String(clientBytes(), StandardCharsets.ISO_8859_1);
    }

    /** How many times {@code text} occurs in what clients sent so far (a command, say). */
    public int timesSent(String text) {
        String sent = clientText();
        int n = 0;
        for (int i = sent.indexOf(text); i >= 0; i = sent.indexOf(text, i + 1)) {
            n++;
        }
        return n;
    }

    /** Closes every proxied connection now. */
    public void dropAll() {
        for (Socket s : sockets) {
            closeQuietly(s);
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                connections.incrementAndGet();
                if (refuse) {
                    closeQuietly(client);
                    continue;
                }
                byte[] busy = busyAnswer;
                if (busy != null && open.get() > 0) {
                    try (client) {
                        client.getOutputStream().write(busy);
                    } catch (IOException e) {
                        // the client left already
                    }
                    continue;
                }
                // listed before the upstream connect, so close() reaches it even when that connect fails
                sockets.add(client);
                Socket server = new Socket();
                sockets.add(server);
                try {
                    server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
                } catch (IOException unreachable) {
                    closeQuietly(client);
                    closeQuietly(server);
                    continue;
                }
                peakOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
                AtomicBoolean severed = new AtomicBoolean();
                if (fault == Fault.ANSWER && (everyTime || !fired.get())) {
                    answering(client, server);
                    pump(server, client, Direction.SERVER_TO_CLIENT, severed);
                    continue;
                }
                pump(client, server, Direction.CLIENT_TO_SERVER, severed);
                pump(server, client, Direction.SERVER_TO_CLIENT, severed);
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
            }
        }
    }

    /**
     * Copies one direction of a connection. {@code severed} is shared by both directions: once a CUT fires,
     * the other direction forwards nothing more, so an answer the server gives to the triggering bytes (the
     * reply to a final dot, say) can never slip through before the sockets close.
     */
    private void pump(Socket from, Socket to, Direction dir, AtomicBoolean severed) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            int matched = 0;
            int countdown = -1;
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    int pass = n;
                    boolean hit = false;
                    byte[] trig = trigger;
                    if (fault != Fault.NONE && dir == direction && trig != null && (everyTime || !fired.get())) {
                        for (int i = 0; i < n && !hit; i++) {
                            if (countdown >= 0) {
                                if (countdown == 0) {
                                    pass = i;
                                    hit = true;
                                } else {
                                    countdown--;
                                }
                                continue;
                            }
                            matched = buf[i] == trig[matched] ? matched + 1 : (buf[i] == trig[0] ? 1 : 0);
                            if (matched == trig.length) {
                                matched = 0;
                                countdown = offsetAfterTrigger;
                                if (countdown == 0) {
                                    pass = i + 1;
                                    hit = true;
                                }
                            }
                        }
                        if (!hit && countdown == 0) {
                            pass = n;
                            hit = true;
                        }
                    }
                    if (dir == Direction.CLIENT_TO_SERVER) {
                        synchronized (clientBytes) {
                            clientBytes.write(buf, 0, pass);
                        }
                    }
                    if (hit && fault == Fault.CUT) {
                        // fired before severed: the other direction, seeing severed, returns and its finally closes
                        // the client's socket, so the client may see the cut before this thread gets further
                        fired.set(true);
                        severed.set(true);
                    } else if (severed.get()) {
                        return;
                    }
                    synchronized (to) {
                        out.write(buf, 0, pass);
                        out.flush();
                    }
                    if (hit) {
                        fired.set(true);
                        if (fault == Fault.CUT) {
                            closeQuietly(from);
                            closeQuietly(to);
                            onFire.run();
                            return;
                        }
                        onFire.run();
                        if (fault == Fault.FREEZE) {
                            closed.await();
                            return;
                        }
                        // STALL: swallow everything from now on, keep the sockets open
                        while (in.read(buf) > 0) {
                            // discard
                        }
                        return;
                    }
                }
            } catch (IOException e) {
                // one side went away: take the other side down too
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(to);
                closeQuietly(from);
                if (dir == Direction.CLIENT_TO_SERVER) {
                    open.decrementAndGet();
                }
            }
        }, "fault-proxy-" + dir);
        t.setDaemon(true);
        t.start();
    }

    /**
     * The client-to-server direction while an {@link #answer} is armed: complete lines are forwarded, except the
     * one with the trigger, which the hostile answer replaces. Writes to the client lock on its socket, which the
     * server-to-client pump shares.
     */
    private void answering(Socket client, Socket server) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            byte[] trig = trigger;
            boolean answeredHere = false; // once per connection: every connection with everyTime, else the first
            boolean secondHere = false;
            try (InputStream in = client.getInputStream(); OutputStream toServer = server.getOutputStream()) {
                int c;
                while ((c = in.read()) >= 0) {
                    line.write(c);
                    if (c != '\n') {
                        continue;
                    }
                    byte[] bytes = line.toByteArray();
                    line.reset();
                    synchronized (clientBytes) {
                        clientBytes.write(bytes, 0, bytes.length);
                    }
                    String text = new String(bytes, StandardCharsets.ISO_8859_1);
                    if (fault == Fault.ANSWER && !answeredHere && (everyTime || !fired.get())
                        && text.contains(new String(trig, StandardCharsets.ISO_8859_1))) {
                        answeredHere = true;
                        fired.set(true);
                        onFire.run();
                        sendAnswer(answer.to(text.strip()), client);
                        continue;
                    }
                    String second = secondTrigger;
                    if (answeredHere && !secondHere && second != null && text.contains(second)) {
                        secondHere = true;
                        sendAnswer(secondAnswer.to(text.strip()), client);
                        continue;
                    }
                    toServer.write(bytes);
                    toServer.flush();
                }
            } catch (IOException e) {
                // one side went away: take the other side down too
            } finally {
                closeQuietly(client);
                closeQuietly(server);
                open.decrementAndGet();
            }
        }, "fault-proxy-answer");
        t.setDaemon(true);
        t.start();
    }

    private void sendAnswer(InputStream bytes, Socket client) throws IOException {
        OutputStream out = client.getOutputStream();
        int rate = answerBytesPerSecond;
        byte[] chunk = new byte[rate > 0 ? 1 : 64 * 1024];
        try (InputStream in = bytes) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                synchronized (client) {
                    out.write(chunk, 0, n);
                    out.flush();
                }
                if (rate > 0) {
                    try {
                        Thread.sleep(1000L / rate); // pacing a server that drips, not waiting for a result
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Closes {@code s} and forgets it: a proxy that sees thousands of connections keeps only the open ones. */
    private void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing anyway
        }
        sockets.remove(s);
    }

    @Override
    public void close() throws IOException {
        closed.countDown();
        listener.close();
        dropAll();
    }
}
