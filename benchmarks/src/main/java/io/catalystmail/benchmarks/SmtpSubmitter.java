package io.catalystmail.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A bare SMTP client for the latency workload: one connection, one message per transaction, and the instant the
 * server's 250 to the final dot arrived. Neither component's producer is used, so the submission path is the
 * same for every consumer measured.
 */
final class SmtpSubmitter implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String from;
    private final String to;

    SmtpSubmitter(String host, int port, String from, String to) throws IOException {
        this.socket = new Socket(host, port);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(60_000);
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.from = from;
        this.to = to;
        expect(220, "greeting");
        command("EHLO latency.bench", 250);
    }

    /** Submits one small message carrying {@code marker} in its X-Latency-Seq header; returns System.nanoTime at the 250. */
    long submit(String marker) throws IOException {
        command("MAIL FROM:<" + from + ">", 250);
        command("RCPT TO:<" + to + ">", 250);
        command("DATA", 354);
        String message = "From: <" + from + ">\r\nTo: <" + to + ">\r\nSubject: latency " + marker + "\r\n"
                         + "X-Latency-Seq: " + marker + "\r\nMessage-ID: <" + marker + "@latency.bench>\r\n\r\n"
                         + "One message of the latency workload.\r\n.\r\n";
        out.write(message.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(250, "the final dot");
        return System.nanoTime();
    }

    private void command(String line, int code) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        expect(code, line);
    }

    private void expect(int code, String after) throws IOException {
        while (true) {
            String line = readLine();
            if (line.length() < 4 || !line.startsWith(String.valueOf(code))) {
                throw new IOException("SMTP server answered " + after + " with: " + line);
            }
            if (line.charAt(3) == ' ') {
                return;
            }
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("SMTP server closed the connection");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        try {
            command("QUIT", 221);
        } finally {
            socket.close();
        }
    }
}
