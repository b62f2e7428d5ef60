package io.catalystmail.camel.smtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import io.catalystmail.camel.net.ServerText;

/**
 * Reads server replies from the raw byte stream (RFC 5321 §4.2): {@code ddd-text} continuation lines, then
 * {@code ddd text} or a bare {@code ddd}. Lines are found by scanning the buffer for LF, so no per-byte calls
 * reach the stream; text is decoded as every protocol's status lines are ({@link ServerText#decoded}: UTF-8, which
 * SMTPUTF8 servers may use, where valid, Latin-1 otherwise).
 */
final class SmtpReplyReader {

    /** RFC 5321 §4.5.3.1.5 allows 512 octets per reply line; real servers exceed it, so be generous but bounded. */
    static final int MAX_LINE = 16 * 1024;
    /** Bounds a reply a hostile or broken server could make endless. */
    static final int MAX_LINES = 1000;
    /** The characters of a garbled line an error shows, controls escaped as in POP3's and IMAP's errors. */
    private static final int GARBLED_SHOWN = 200;

    private final InputStream in;
    private final byte[] buffer = new byte[MAX_LINE];
    private int pos;
    private int limit;

    SmtpReplyReader(InputStream in) {
        this.in = in;
    }

    /** True when the server sent bytes beyond the last reply read (matters after STARTTLS, RFC 3207 §5). */
    boolean hasBufferedInput() {
        return pos < limit;
    }

    /**
     * Reads one complete reply.
     *
     * @throws SmtpException with the reason when the reply is not well-formed
     * @throws EOFException  when the server closed the connection
     */
    SmtpReply read() throws IOException {
        int code = -1;
        String enhanced = null;
        // only a multi-line reply joins lines: most replies are one line, whose text is the reply's as it is
        StringBuilder text = null;
        for (int lineNo = 0; lineNo < MAX_LINES; lineNo++) {
            int end = nextLineEnd(code < 0);
            int start = pos;
            int contentEnd = end > start && buffer[end - 1] == '\r' ? end - 1 : end;
            pos = end + 1;
            int length = contentEnd - start;
            if (length < 3) {
                throw garbled("reply line shorter than a reply code", start, contentEnd);
            }
            int lineCode = replyCode(start);
            if (lineCode < 0) {
                throw garbled("reply line does not start with a reply code", start, contentEnd);
            }
            if (code >= 0 && lineCode != code) {
                throw garbled("multi-line reply changes its code from " + code + " to " + lineCode, start, contentEnd);
            }
            code = lineCode;
            boolean last;
            if (length == 3) {
                last = true;
            } else if (buffer[start + 3] == ' ') {
                last = true;
            } else if (buffer[start + 3] == '-') {
                last = false;
            } else {
                throw garbled("reply code not followed by space or '-'", start, contentEnd);
            }
            String lineText = length > 4 ? ServerText.decoded(buffer, start + 4, length - 4) : "";
            String lineEnhanced = enhancedCode(lineText, code);
            if (lineEnhanced != null) {
                lineText = lineText.substring(Math.min(lineText.length(), lineEnhanced.length() + 1));
                if (enhanced == null) {
                    enhanced = lineEnhanced;
                }
            }
            if (lineNo == 0) {
                if (last) {
                    return new SmtpReply(code, enhanced, lineText);
                }
                text = new StringBuilder(lineText);
            } else {
                text.append('\n').append(lineText);
                if (last) {
                    return new SmtpReply(code, enhanced, text.toString());
                }
            }
        }
        throw new SmtpException("garbled reply: more than " + MAX_LINES + " lines", null, null);
    }

    /** Index of the LF that ends the next line, reading more from the stream as needed. */
    private int nextLineEnd(boolean firstLine) throws IOException {
        int scanFrom = pos;
        while (true) {
            for (int i = scanFrom; i < limit; i++) {
                if (buffer[i] == '\n') {
                    return i;
                }
            }
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buffer.length) {
                throw new SmtpException("garbled reply: a line longer than " + MAX_LINE + " octets", null, null);
            }
            scanFrom = limit;
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                throw new EOFException(firstLine && limit == 0 ? "the server closed the connection"
                        : "the server closed the connection in the middle of a reply");
            }
            limit += n;
        }
    }

    /** The code as a number, or -1 unless three digits with a first digit of 1-5 (RFC 5321 §4.2.1). */
    private int replyCode(int start) {
        int d1 = buffer[start] - '0';
        int d2 = buffer[start + 1] - '0';
        int d3 = buffer[start + 2] - '0';
        if (d1 < 1 || d1 > 5 || d2 < 0 || d2 > 9 || d3 < 0 || d3 > 9) {
            return -1;
        }
        return d1 * 100 + d2 * 10 + d3;
    }

    /**
     * The RFC 3463 code at the start of {@code text} ({@code class.subject.detail}, class equal to the reply
     * code's first digit as RFC 2034 §4 requires), or null. Recognised whether or not ENHANCEDSTATUSCODES was
     * announced: some servers send them regardless, and the class check keeps ordinary text from matching.
     */
    static String enhancedCode(String text, int code) {
        int n = text.length();
        if (n < 5 || text.charAt(0) != (char) ('0' + code / 100) || text.charAt(1) != '.') {
            return null;
        }
        int i = 2;
        int digits = 0;
        while (i < n && Character.isDigit(text.charAt(i)) && digits < 3) {
            i++;
            digits++;
        }
        if (digits == 0 || i >= n || text.charAt(i) != '.') {
            return null;
        }
        i++;
        digits = 0;
        while (i < n && Character.isDigit(text.charAt(i)) && digits < 3) {
            i++;
            digits++;
        }
        if (digits == 0 || (i < n && text.charAt(i) != ' ')) {
            return null;
        }
        return text.substring(0, i);
    }

    private SmtpException garbled(String what, int start, int end) {
        String line = ServerText.shown(ServerText.decoded(buffer, start, end - start), GARBLED_SHOWN);
        return new SmtpException("garbled reply: " + what + ": \"" + line + "\"", null, null);
    }
}
