package io.catalystmail.camel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small SMTP peer on 127.0.0.1 that accepts any number of connections and answers every command positively,
 * for what the one-connection ScriptedSmtpServer cannot show: a dropped idle connection followed by a new one.
 * It can drop its open connections on demand, and cut a connection right after the data of a chosen message
 * without replying (the client cannot know whether that message was accepted).
 */
final class AnsweringSmtpPeer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger messages = new AtomicInteger();
    private volatile int cutAfterMessage = -1;
    private final AtomicInteger peakOpen = new AtomicInteger();
    /** While held, the reply to each message's final dot waits (see {@link #holdReplies()}). */
    private volatile java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(0);
    private final AtomicInteger waitingForReply = new AtomicInteger();

    AnsweringSmtpPeer() throws IOException {
        listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "answering-smtp-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    int messages() {
        return messages.get();
    }

    /** Command lines received over all connections, each prefixed with its connection number. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    /** Closes every open connection from the server side, as a server does with idle clients. */
    void dropConnections() throws IOException {
        for (Socket s : open) {
            s.close();
        }
    }

    /** The most connections that were open at the same time. */
    int peakOpen() {
        return peakOpen.get();
    }

    /** From now on, the reply to a message's final dot waits until {@link #releaseReplies()}. */
    void holdReplies() {
        gate = new java.util.concurrent.CountDownLatch(1);
    }

    void releaseReplies() {
        gate.countDown();
    }

    /** Connections whose message data has arrived and whose final reply is held. */
    int waitingForReply() {
        return waitingForReply.get();
    }

    /** Closes the connection after the data of message number {@code n} (1-based) without replying. */
    void cutAfterMessage(int n) {
        cutAfterMessage = n;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                open.add(socket);
                peakOpen.accumulateAndGet(open.size(), Math::max);
                int number = connections.incrementAndGet();
                Thread t = new Thread(() -> serve(socket, number), "answering-smtp-conn-" + number);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket, int number) {
        try (socket) {
            socket.setSoTimeout(10_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            reply(out, "220 peer ESMTP");
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(number + " " + line);
                String verb = line.split(" ", 2)[0].toUpperCase(Locale.ROOT);
                switch (verb) {
                    case "EHLO" -> reply(out, "250-peer\r\n250 8BITMIME");
                    case "DATA" -> {
                        reply(out, "354 go ahead");
                        while (!".".equals(readLine(in))) {
                            // message data is not kept: only the count matters here
                        }
                        waitingForReply.incrementAndGet();
                        try {
                            if (!gate.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                                return; // the test gave up: no reply, as for a cut
                            }
                        } catch (InterruptedException e) {
                            return;
                        } finally {
                            waitingForReply.decrementAndGet();
                        }
                        int n = messages.incrementAndGet();
                        if (n == cutAfterMessage) {
                            return;
                        }
                        reply(out, "250 2.0.0 queued as " + n);
                    }
                    case "QUIT" -> {
                        reply(out, "221 bye");
                        return;
                    }
                    default -> reply(out, "250 2.0.0 ok");
                }
            }
        } catch (IOException e) {
            // the client or dropConnections() closed the socket
        } finally {
            open.remove(socket);
        }
    }

    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        releaseReplies();
        listener.close();
        dropConnections();
    }
}
