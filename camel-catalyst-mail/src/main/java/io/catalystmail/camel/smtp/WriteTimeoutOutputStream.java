package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gives socket writes the timeout Java's blocking sockets lack: a server that stops reading fills the TCP window
 * and a write would block forever. Each write arms a timer that closes the socket when it fires, which makes
 * the blocked write fail; that failure is reported as a {@link SocketTimeoutException}.
 */
final class WriteTimeoutOutputStream extends OutputStream {

    private static final ScheduledThreadPoolExecutor TIMER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "catalystmail-smtp-write-timeout");
        t.setDaemon(true);
        return t;
    });

    static {
        TIMER.setRemoveOnCancelPolicy(true);
    }

    private final Socket socket;
    private final OutputStream out;
    private final long timeoutMillis;
    private volatile boolean timedOut;

    WriteTimeoutOutputStream(Socket socket, OutputStream out, Duration timeout) {
        this.socket = socket;
        this.out = out;
        this.timeoutMillis = Math.max(1, timeout.toMillis());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int off, int len) throws IOException {
        ScheduledFuture<?> alarm = TIMER.schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        try {
            out.write(data, off, len);
        } catch (IOException e) {
            throw timedOut ? timeout(e) : e;
        } finally {
            alarm.cancel(false);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void expire() {
        timedOut = true;
        try {
            socket.close();
        } catch (IOException e) {
            // the socket is being torn down either way
        }
    }

    private SocketTimeoutException timeout(IOException cause) {
        SocketTimeoutException e = new SocketTimeoutException("the server did not take data for " + timeoutMillis
                + " ms; connection closed");
        e.initCause(cause);
        return e;
    }
}
