package io.catalystmail.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that answers by the recipient's local part, for the retry cases no real server shows on demand:
 * {@code busy} is refused once with 451 (RFC 5321 §4.2.2, transient) and then taken, {@code unknown} is refused
 * with 550, {@code uncertain} has its connection closed after the final dot, before any reply (the message may have
 * been delivered), anything else is taken. It counts, per local part, the RCPT TO commands and the messages whose
 * data ended with the final dot.
 */
final class ScriptedSmtpPeer implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, AtomicInteger> recipientsTried = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> dataReceived = new ConcurrentHashMap<>();

    ScriptedSmtpPeer(int port) throws IOException {
        server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "scripted-smtp-peer");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int recipientsTried(String localPart) {
        return recipientsTried.getOrDefault(localPart, new AtomicInteger()).get();
    }

    int dataReceived(String localPart) {
        return dataReceived.getOrDefault(localPart, new AtomicInteger()).get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Thread session = new Thread(() -> serve(socket), "scripted-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream out = socket.getOutputStream()) {
            reply(out, "220 scripted ESMTP");
            String recipient = null;
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    reply(out, "250 scripted");
                } else if (command.startsWith("RCPT TO:")) {
                    recipient = line.substring(line.indexOf('<') + 1, line.indexOf('@'));
                    int attempt = recipientsTried.computeIfAbsent(recipient, k -> new AtomicInteger())
                            .incrementAndGet();
                    if (recipient.equals("unknown")) {
                        reply(out, "550 5.1.1 no such user");
                    } else if (recipient.equals("busy") && attempt == 1) {
                        reply(out, "451 4.3.2 try again later");
                    } else {
                        reply(out, "250 2.1.5 ok");
                    }
                } else if (command.equals("DATA")) {
                    reply(out, "354 go ahead");
                    while (!".".equals(in.readLine())) {
                        // the message's lines: only its end matters here
                    }
                    dataReceived.computeIfAbsent(recipient, k -> new AtomicInteger()).incrementAndGet();
                    if ("uncertain".equals(recipient)) {
                        return;
                    }
                    reply(out, "250 2.0.0 queued");
                } else if (command.equals("QUIT")) {
                    reply(out, "221 bye");
                    return;
                } else {
                    reply(out, "250 ok");
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client went away: nothing to count
        }
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
