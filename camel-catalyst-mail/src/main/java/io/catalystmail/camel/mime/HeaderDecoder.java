package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.catalystmail.camel.bytes.ByteSearch;

/**
 * Decodes header field values for the route: raw bytes (UTF-8 per RFC 6532 when valid, else ISO-8859-1), unfolded
 * (RFC 5322 section 2.2.3), then RFC 2047 encoded-words decoded. Written as linear scans, no regular expressions:
 * header lines may be a megabyte long and hostile.
 */
final class HeaderDecoder {

    private static final int MAX_CHARSET_LABEL = 64;

    private HeaderDecoder() {
    }

    /** The unfolded value of a field's bytes {@code raw[from, to)}, as sent: encoded-words still encoded. */
    static String unfoldedValue(byte[] raw, int from, int to) {
        int start = trimmedStart(raw, from, to);
        int end = trimmedEnd(raw, start, to);
        // trimmed as bytes, then decoded once: the white space is ASCII in every charset decode may choose
        return unfoldedWithin(TextCharsets.decode(raw, start, end - start, (Charset) null), raw, start, end);
    }

    /** {@link #unfoldedValue} with one character per byte (ISO-8859-1): for values whose bytes must stay exact. */
    static String unfoldedLatin1(byte[] raw, int from, int to) {
        int start = trimmedStart(raw, from, to);
        int end = trimmedEnd(raw, start, to);
        return unfoldedWithin(new String(raw, start, end - start, StandardCharsets.ISO_8859_1), raw, start, end);
    }

    private static int trimmedStart(byte[] raw, int from, int to) {
        int start = from;
        while (start < to && isFoldingWhitespace((char) raw[start])) {
            start++;
        }
        return start;
    }

    private static int trimmedEnd(byte[] raw, int from, int to) {
        int end = to;
        while (end > from && isFoldingWhitespace((char) raw[end - 1])) {
            end--;
        }
        return end;
    }

    /** {@code text}, decoded from {@code raw[start, end)}, without its line breaks; as it is when it has none. */
    private static String unfoldedWithin(String text, byte[] raw, int start, int end) {
        if (ByteSearch.indexOf(raw, start, end, '\n') < 0 && ByteSearch.indexOf(raw, start, end, '\r') < 0) {
            return text; // a field on one line: most are
        }
        return unfold(text);
    }

    /** Removes line breaks (folding keeps the whitespace after them) and trims surrounding whitespace. */
    static String unfold(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && isFoldingWhitespace(text.charAt(start))) {
            start++;
        }
        while (end > start && isFoldingWhitespace(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c != '\r' && c != '\n') {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isFoldingWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /**
     * Replaces CR, LF and NUL (which encoded-words can smuggle in) with spaces, so a decoded value can never split
     * a header line if a route copies it into an outgoing message.
     */
    static String singleLine(String text) {
        if (text.indexOf('\r') < 0 && text.indexOf('\n') < 0 && text.indexOf('\0') < 0) {
            return text;
        }
        return text.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    }

    /**
     * Decodes RFC 2047 encoded-words anywhere in {@code text}. Whitespace between adjacent encoded-words is dropped
     * (section 6.2), and adjacent words in the same charset are decoded together, because senders split multi-byte
     * characters across words. Malformed words and words in unknown charsets are kept as they are.
     */
    static String decodeEncodedWords(String text) {
        int next = text.indexOf("=?");
        if (next < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        Charset pendingCharset = null;
        boolean hasPending = false;
        int copied = 0; // text before this index is in out or pending
        int close = -2; // cached position of the next "?=": keeps repeated failed attempts linear
        while (next >= 0) {
            int labelStart = next + 2;
            int labelEnd = text.indexOf('?', labelStart);
            if (labelEnd < 0) {
                break;
            }
            int textStart = labelEnd + 3;
            if (labelEnd == labelStart || labelEnd - labelStart > MAX_CHARSET_LABEL || textStart > text.length()
                    || text.charAt(labelEnd + 2) != '?' || !isEncodingLetter(text.charAt(labelEnd + 1))) {
                next = text.indexOf("=?", labelStart);
                continue;
            }
            if (close != -1 && close < textStart) {
                close = text.indexOf("?=", textStart);
            }
            if (close < 0) {
                break; // no encoded-word can end anywhere further on
            }
            Charset charset = TextCharsets.lookup(text.substring(labelStart, labelEnd));
            if (charset == null) {
                next = text.indexOf("=?", labelStart);
                continue;
            }
            byte[] decoded = decodeWordText(text, text.charAt(labelEnd + 1), textStart, close);
            boolean adjacent = hasPending && isBlank(text, copied, next);
            if (!adjacent || !charset.equals(pendingCharset)) {
                flush(out, pending, pendingCharset);
                if (!adjacent) {
                    out.append(text, copied, next);
                }
            }
            pending.write(decoded, 0, decoded.length);
            pendingCharset = charset;
            hasPending = true;
            copied = close + 2;
            next = text.indexOf("=?", copied);
        }
        flush(out, pending, pendingCharset);
        out.append(text, copied, text.length());
        return out.toString();
    }

    private static boolean isEncodingLetter(char c) {
        return c == 'B' || c == 'b' || c == 'Q' || c == 'q';
    }

    private static boolean isBlank(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t') {
                return false;
            }
        }
        return true;
    }

    private static void flush(StringBuilder out, ByteArrayOutputStream pending, Charset charset) {
        if (pending.size() > 0) {
            byte[] bytes = pending.toByteArray();
            out.append(TextCharsets.decode(bytes, 0, bytes.length, charset));
            pending.reset();
        }
    }

    private static byte[] decodeWordText(String text, char encoding, int from, int to) {
        return encoding == 'B' || encoding == 'b' ? decodeBase64(text, from, to) : decodeQ(text, from, to);
    }

    /** Lenient base64: characters outside the alphabet are skipped, missing padding is tolerated. */
    static byte[] decodeBase64(String text, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((to - from) * 3 / 4 + 1);
        int bits = 0;
        int count = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '=') {
                break;
            }
            int value = base64Value(c);
            if (value < 0) {
                continue;
            }
            bits = (bits << 6) | value;
            count += 6;
            if (count >= 8) {
                count -= 8;
                out.write((bits >> count) & 0xff);
            }
        }
        return out.toByteArray();
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    /** RFC 2047 section 4.2 "Q": underscore is space, =XX a byte; a stray '=' is kept as it is. */
    private static byte[] decodeQ(String text, int from, int to) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && hexValue(text, i + 1, to) >= 0) {
                out.write(hexValue(text, i + 1, to));
                i += 2;
            } else {
                writeChar(out, c);
            }
        }
        return out.toByteArray();
    }

    /** The byte written as two hex digits at {@code at}, or -1. */
    static int hexValue(CharSequence text, int at, int end) {
        if (at + 1 >= end) {
            return -1;
        }
        int high = hexDigit(text.charAt(at));
        int low = hexDigit(text.charAt(at + 1));
        return high < 0 || low < 0 ? -1 : (high << 4) | low;
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }

    /** Raw characters inside a word: bytes as they came (ISO-8859-1 view), anything wider as UTF-8. */
    private static void writeChar(ByteArrayOutputStream out, char c) {
        if (c < 0x100) {
            out.write(c);
        } else {
            byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
            out.write(bytes, 0, bytes.length);
        }
    }
}
