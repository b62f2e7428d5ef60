package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CoderResult;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Picks the charset of a text body that stays in its temp file (above {@code textBodyStreamThreshold}) by the same
 * rules {@link TextCharsets} applies to the bodies it decodes in memory, reading the file once in chunks: a 30 MB
 * body costs one pass over the file and no heap. Without a usable label (none, US-ASCII, unknown): ASCII as is,
 * valid UTF-8 as UTF-8, anything else as Windows-1252; ISO-8859-1 with bytes in 0x80-0x9F as Windows-1252.
 */
final class StreamedTextCharset {

    private static final int CHUNK = 64 * 1024;

    /** The charset to read the file with, and the one used instead of the label when that differs (else null). */
    record Choice(Charset charset, Charset fallback) {
    }

    private StreamedTextCharset() {
    }

    static Choice choose(Path file, String label) throws IOException {
        Charset declared = TextCharsets.lookup(label);
        if (declared != null && !declared.equals(StandardCharsets.US_ASCII)) {
            if (declared.equals(StandardCharsets.ISO_8859_1) && hasC1(file)) {
                return new Choice(TextCharsets.WINDOWS_1252, TextCharsets.WINDOWS_1252);
            }
            return new Choice(declared, null);
        }
        Scan scan = scan(file);
        if (scan.ascii) {
            // exact in any ASCII superset; an unknown label was still not honoured (as TextCharsets reports it)
            Charset fallback = declared == null && label != null ? StandardCharsets.US_ASCII : null;
            return new Choice(StandardCharsets.UTF_8, fallback);
        }
        return scan.utf8 ? new Choice(StandardCharsets.UTF_8, StandardCharsets.UTF_8)
                : new Choice(TextCharsets.WINDOWS_1252, TextCharsets.WINDOWS_1252);
    }

    private record Scan(boolean ascii, boolean utf8) {
    }

    private static Scan scan(Path file) throws IOException {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(CHUNK);
        CharBuffer out = CharBuffer.allocate(CHUNK);
        boolean ascii = true;
        try (InputStream stream = Files.newInputStream(file)) {
            int n;
            while ((n = stream.read(in.array(), in.position(), in.remaining())) != -1) {
                ascii = ascii && TextCharsets.isAscii(in.array(), in.position(), n);
                in.position(in.position() + n);
                in.flip();
                if (!decodes(utf8, in, out, false)) {
                    return new Scan(false, false);
                }
                in.compact(); // an incomplete sequence at the end of a chunk waits for the next one
            }
        }
        in.flip();
        boolean valid = decodes(utf8, in, out, true) && !in.hasRemaining();
        return new Scan(ascii, valid);
    }

    private static boolean decodes(CharsetDecoder decoder, ByteBuffer in, CharBuffer out, boolean endOfInput) {
        while (true) {
            out.clear();
            CoderResult result = decoder.decode(in, out, endOfInput);
            if (result.isError()) {
                return false;
            }
            if (result.isUnderflow()) {
                return true;
            }
        }
    }

    private static boolean hasC1(Path file) throws IOException {
        byte[] chunk = new byte[CHUNK];
        try (InputStream stream = Files.newInputStream(file)) {
            int n;
            while ((n = stream.read(chunk)) != -1) {
                if (TextCharsets.hasC1(chunk, 0, n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
