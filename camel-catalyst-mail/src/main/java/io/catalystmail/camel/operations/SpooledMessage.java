package io.catalystmail.camel.operations;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.catalystmail.camel.imap.LiteralContent;

/**
 * A message made ready for APPEND: an IMAP literal announces its exact size first (RFC 3501 §4.3) and must carry
 * CRLF line ends (RFC 5322 §2.1), while a composed or raw message may have bare LFs and unknown length. So it is
 * written once through a CRLF-normalising stream into memory up to {@value #IN_MEMORY} octets and into a temp file
 * beyond, counted, and then streamed into the command: the heap never holds a large message.
 */
final class SpooledMessage implements LiteralContent, AutoCloseable {

    static final int IN_MEMORY = 1024 * 1024;

    /** Writes the message's octets. */
    @FunctionalInterface
    interface Source {
        void writeTo(OutputStream out) throws IOException;
    }

    private byte[] bytes;
    private Path file;
    private long size;

    static SpooledMessage of(Source source) throws IOException {
        SpooledMessage spooled = new SpooledMessage();
        try (Spool spool = spooled.new Spool()) {
            try (OutputStream crlf = new CrlfOutputStream(new java.io.BufferedOutputStream(spool, 64 * 1024))) {
                source.writeTo(crlf);
            }
            spool.finish();
        } catch (IOException | RuntimeException e) {
            spooled.close();
            throw e;
        }
        return spooled;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        if (bytes != null) {
            out.write(bytes);
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    /** Deletes the temp file, if any. */
    @Override
    public void close() {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is removed by the OS's temp cleaning; nothing else depends on it
            }
            file = null;
        }
    }

    /** Memory first, a temp file once {@value #IN_MEMORY} octets are passed. */
    private final class Spool extends OutputStream {
        private ByteArrayOutputStream memory = new ByteArrayOutputStream(8 * 1024);
        private OutputStream disk;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            size += len;
            if (disk == null && memory.size() + len > IN_MEMORY) {
                file = Files.createTempFile("catalystmail-append-", ".eml");
                disk = new java.io.BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
                memory.writeTo(disk);
                memory = null;
            }
            if (disk != null) {
                disk.write(b, off, len);
            } else {
                memory.write(b, off, len);
            }
        }

        void finish() {
            if (memory != null) {
                bytes = memory.toByteArray();
            }
        }

        @Override
        public void close() throws IOException {
            if (disk != null) {
                disk.close();
            }
        }
    }

    /** Turns bare CR and bare LF into CRLF; CRLF passes unchanged. */
    static final class CrlfOutputStream extends FilterOutputStream {
        private int last = -1;

        CrlfOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n' && last != '\r') {
                out.write('\r');
            } else if (last == '\r' && b != '\n') {
                out.write('\n');
            }
            out.write(b);
            last = b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            // byte by byte into a buffered stream below: the spool; fast enough for what APPEND sends
            for (int i = off; i < off + len; i++) {
                write(b[i] & 0xff);
            }
        }

        /** A final bare CR becomes CRLF; the stream below is not closed (the spool closes itself). */
        @Override
        public void close() throws IOException {
            if (last == '\r') {
                out.write('\n');
                last = '\n';
            }
            out.flush();
        }
    }
}
