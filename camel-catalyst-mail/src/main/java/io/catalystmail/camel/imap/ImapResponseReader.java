package io.catalystmail.camel.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Byte-level tokenizer and parser for IMAP server responses (RFC 3501 §7 and §9, RFC 9051). It reads from its
 * own buffer over the raw socket stream, never decodes lines as text before parsing, and treats literals as
 * tokens like any other, so a FETCH response may carry any number of them.
 * <p>
 * A message body literal in a FETCH response can be handed to a {@link BodyConsumer} as a bounded stream over
 * the socket buffer instead of being read into memory; whatever the consumer leaves unread is skipped before
 * the next token. Everything else is bounded by {@link ImapLimits}: nothing a server sends makes this class
 * allocate without bound, recurse without bound, or fail with anything but {@link ImapProtocolException} or
 * another {@link IOException} ({@link EOFException} when the server closes mid-response).
 */
public final class ImapResponseReader {

    /** Receives body literals of FETCH responses as streams. */
    @FunctionalInterface
    public interface BodyConsumer {
        /**
         * Called when a FETCH response reaches a literal for a body item ({@code BODY[...]}, {@code BINARY[...]},
         * {@code RFC822}, {@code RFC822.HEADER}, {@code RFC822.TEXT}). The stream ends with the literal and is
         * only valid during this call; unread content is skipped afterwards.
         *
         * @param soFar  the items of this FETCH response read so far (usually UID, FLAGS... come first)
         * @param item   upper-case item name with its section, without origin, e.g. {@code BODY[]}
         * @param origin the partial-fetch origin {@code <n>}, -1 when absent
         * @param length the literal's size in octets
         */
        void onBody(FetchData soFar, String item, long origin, long length, InputStream content) throws IOException;
    }

    private static final int BUFFER_SIZE = 64 * 1024;

    /** RFC 3501 date-time: "dd-MMM-yyyy HH:mm:ss +zzzz", the day possibly space-padded. */
    private static final DateTimeFormatter INTERNALDATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    private final InputStream in;
    private final ImapLimits limits;
    private final byte[] buf = new byte[BUFFER_SIZE];
    private int pos;
    private int end;
    private byte[] token = new byte[256];
    private int tokenLength;
    /** Bytes of the current response held in memory: bounded by {@link ImapLimits#maxResponseBytes()}. */
    private long responseBytes;

    public ImapResponseReader(InputStream in, ImapLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    public ImapResponseReader(InputStream in) {
        this(in, ImapLimits.DEFAULT);
    }

    /** True when bytes beyond the last response are already buffered (they must not be after STARTTLS). */
    public boolean hasBufferedInput() {
        return pos < end;
    }

    /** Reads the next response, reading any FETCH body literal into memory. */
    public ImapResponse read() throws IOException {
        return read(null);
    }

    /** Reads the next response, streaming FETCH body literals to {@code bodies} when it is not null. */
    public ImapResponse read(BodyConsumer bodies) throws IOException {
        responseBytes = 0;
        int c = require();
        if (c == '+') {
            pos++;
            if (peek() == ' ') {
                pos++;
            }
            return ImapResponse.continuation(readText());
        }
        if (c == '*') {
            pos++;
            expect(' ');
            return readUntagged(bodies);
        }
        String tag = readTag();
        expect(' ');
        String status = readAtom(false).toUpperCase(Locale.ROOT);
        if (!status.equals("OK") && !status.equals("NO") && !status.equals("BAD")) {
            throw new ImapProtocolException("tagged response with status " + ImapValues.describe(status));
        }
        return readStatusRest(ImapResponse.Kind.TAGGED, tag, status);
    }

    private ImapResponse readUntagged(BodyConsumer bodies) throws IOException {
        if (isDigit(require())) {
            long number = ImapValues.number(readAtom(false));
            expect(' ');
            String type = readAtom(false).toUpperCase(Locale.ROOT);
            if (type.equals("FETCH")) {
                expect(' ');
                FetchData data = readFetch(number, bodies);
                expectLineEnd();
                return ImapResponse.fetch(data);
            }
            return ImapResponse.data(number, type, readValuesToLineEnd());
        }
        String type = readAtom(false).toUpperCase(Locale.ROOT);
        if (ImapResponse.STATUS_NAMES.contains(type)) {
            return readStatusRest(ImapResponse.Kind.UNTAGGED, "*", type);
        }
        if (type.equals("SEARCH")) {
            return ImapResponse.data(-1, type, List.of(readSearchUids()));
        }
        return ImapResponse.data(-1, type, readValuesToLineEnd());
    }

    /**
     * {@code * SEARCH 1 2 3 ...} (RFC 3501 §7.2.5) read straight into {@link UidRanges}, never as tokens: the
     * answer for a big mailbox may hold millions of numbers, spread over one line. A CONDSTORE {@code (MODSEQ n)}
     * is skipped; anything that is not a UID is counted as invalid.
     */
    private UidRanges readSearchUids() throws IOException {
        UidRanges uids = new UidRanges(limits.maxSearchResults());
        while (true) {
            int c = require();
            if (c == '\r' || c == '\n') {
                expectLineEnd();
                return uids;
            }
            if (c == ' ') {
                pos++;
            } else if (c == '(') {
                readList(1, false);
                responseBytes = 0; // the MODSEQ list is not kept
            } else if (isDigit(c)) {
                long number = 0;
                int digits = 0;
                while (isDigit(peek())) {
                    int digit = next() - '0';
                    if (digits++ < 11) {
                        number = number * 10 + digit;
                    }
                }
                int after = peek();
                if (after == ' ' || after == '\r' || after == '\n') {
                    uids.add(digits > 10 ? -1 : number);
                } else {
                    skipInvalid(uids);
                }
            } else {
                skipInvalid(uids);
            }
        }
    }

    /** Skips a word of a SEARCH answer that is not a UID, counting it as invalid. */
    private void skipInvalid(UidRanges uids) throws IOException {
        if (readAtom(false).isEmpty()) {
            next(); // a lone quote or parenthesis
        }
        responseBytes = 0;
        uids.add(0);
    }

    /** After a status name: {@code [SP "[" code "]"] [SP text] CRLF}, lenient about a missing text. */
    private ImapResponse readStatusRest(ImapResponse.Kind kind, String tag, String status) throws IOException {
        ResponseCode code = null;
        if (peek() == ' ') {
            pos++;
            if (peek() == '[') {
                pos++;
                code = readResponseCode();
                if (peek() == ' ') {
                    pos++;
                }
            }
        }
        return ImapResponse.status(kind, tag, status, code, readText());
    }

    private ResponseCode readResponseCode() throws IOException {
        String name = readAtom(true).toUpperCase(Locale.ROOT);
        if (name.isEmpty()) {
            throw new ImapProtocolException("empty response code");
        }
        List<Object> args = new ArrayList<>();
        while (true) {
            int c = require();
            if (c == ']') {
                pos++;
                return new ResponseCode(name, args);
            }
            if (c == ' ') {
                pos++;
            } else if (c == '\r' || c == '\n') {
                throw new ImapProtocolException("response code " + name + " not closed with ]");
            } else {
                args.add(readValue(0, true));
            }
        }
    }

    private List<Object> readValuesToLineEnd() throws IOException {
        List<Object> values = new ArrayList<>();
        while (true) {
            int c = require();
            if (c == '\r' || c == '\n') {
                expectLineEnd();
                return values;
            }
            if (c == ' ') {
                pos++;
            } else {
                values.add(readValue(0, false));
            }
        }
    }

    /**
     * One value: a parenthesised list, a quoted string, a literal, NIL (null) or an atom. Atoms are read
     * leniently (anything up to a space, parenthesis or line end) since servers put flags, sequence sets and
     * other near-atoms where the grammar says atom.
     */
    private Object readValue(int depth, boolean inCode) throws IOException {
        int c = require();
        switch (c) {
            case '(':
                return readList(depth + 1, inCode);
            case '"':
                return readQuoted();
            case '{':
                return readSmallLiteral();
            case '~':
                if (peekAt(1) == '{') {
                    pos++;
                    return readSmallLiteral();
                }
                return readAtom(inCode);
            default:
                String atom = readAtom(inCode);
                if (atom.isEmpty()) {
                    throw new ImapProtocolException("unexpected character " + printable(c));
                }
                return atom.equalsIgnoreCase("NIL") ? null : atom;
        }
    }

    private List<Object> readList(int depth, boolean inCode) throws IOException {
        if (depth > limits.maxNestingDepth()) {
            throw new ImapProtocolException("lists nested deeper than " + limits.maxNestingDepth());
        }
        pos++; // '('
        charge(ImapLimits.VALUE_OVERHEAD);
        List<Object> list = new ArrayList<>();
        while (true) {
            int c = require();
            if (c == ')') {
                pos++;
                return list;
            }
            if (c == ' ') {
                pos++;
            } else if (c == '\r' || c == '\n') {
                throw new ImapProtocolException("line ended inside a parenthesised list");
            } else {
                list.add(readValue(depth, inCode));
            }
        }
    }

    private FetchData readFetch(long sequence, BodyConsumer bodies) throws IOException {
        if (require() != '(') {
            throw new ImapProtocolException("FETCH response without item list");
        }
        pos++;
        FetchData data = new FetchData(sequence);
        while (true) {
            int c = require();
            if (c == ')') {
                pos++;
                return data;
            }
            if (c == ' ') {
                pos++;
                continue;
            }
            readFetchItem(data, bodies);
        }
    }

    /** One FETCH item, its name (with section and origin) then its value, by the item's own syntax. */
    private void readFetchItem(FetchData data, BodyConsumer bodies) throws IOException {
        String name = readFetchItemName();
        long origin = -1;
        if (peek() == '[') {
            name = name + readSection();
            if (peek() == '<') {
                pos++;
                origin = ImapValues.number(readDigits());
                expect('>');
            }
        }
        expect(' ');
        switch (name) {
            case "UID" -> data.uid(ImapValues.number(readAtom(false)));
            case "RFC822.SIZE" -> data.size(ImapValues.number(readAtom(false)));
            case "FLAGS" -> data.flags(readFlags());
            case "INTERNALDATE" -> data.internalDate(parseInternalDate(ImapValues.text(readValue(0, false))));
            default -> {
                if (isBodyItem(name)) {
                    data.otherItem(name, readBody(data, name, origin, bodies));
                } else {
                    data.otherItem(name, readValue(0, false));
                }
            }
        }
    }

    private static boolean isBodyItem(String name) {
        return name.startsWith("BODY[") || name.startsWith("BINARY[") || name.equals("RFC822")
                || name.equals("RFC822.HEADER") || name.equals("RFC822.TEXT");
    }

    /**
     * A body item's nstring. A literal goes to the consumer as a stream when there is one (the stored item is
     * then null); quoted strings and NIL are small and are returned as bytes / null.
     */
    private Object readBody(FetchData data, String name, long origin, BodyConsumer bodies) throws IOException {
        int c = require();
        boolean literal = c == '{' || c == '~' && peekAt(1) == '{';
        if (!literal || bodies == null) {
            Object value = readValue(0, false);
            return value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : value;
        }
        if (c == '~') {
            pos++;
        }
        long length = readLiteralHeader();
        LiteralStream content = new LiteralStream(length);
        try {
            bodies.onBody(data, name, origin, length, content);
        } finally {
            content.finish();
        }
        return null;
    }

    private Set<String> readFlags() throws IOException {
        Object value = readValue(0, false);
        Set<String> flags = new LinkedHashSet<>();
        for (Object flag : ImapValues.list(value)) {
            if (!(flag instanceof String s)) {
                throw new ImapProtocolException("a flag must be an atom, got " + ImapValues.describe(flag));
            }
            flags.add(s);
        }
        return flags;
    }

    private static Instant parseInternalDate(String text) throws ImapProtocolException {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.strip(), INTERNALDATE).toInstant();
        } catch (DateTimeParseException e) {
            throw new ImapProtocolException("INTERNALDATE not in RFC 3501 date-time form: " + ImapValues.describe(text));
        }
    }

    /** Item names are atoms such as RFC822.SIZE or BODY; they end at '[', a space or ')'. */
    private String readFetchItemName() throws IOException {
        tokenLength = 0;
        while (true) {
            int c = require();
            if (c == '[' || c == ' ' || c == ')' || c == '(' || c == '\r' || c == '\n' || c == '"' || c == '{') {
                break;
            }
            append(c);
            pos++;
        }
        if (tokenLength == 0) {
            throw new ImapProtocolException("FETCH item without a name");
        }
        return tokenAsString().toUpperCase(Locale.ROOT);
    }

    /**
     * A section spec {@code [...]} read as text up to its closing bracket, including header lists such as
     * {@code [HEADER.FIELDS (FROM "X-Odd")]}; returned with its brackets, upper-cased like the item name.
     */
    private String readSection() throws IOException {
        tokenLength = 0;
        append(next());
        boolean quoted = false;
        while (true) {
            int c = next();
            if (c == '\r' || c == '\n') {
                throw new ImapProtocolException("line ended inside a FETCH section");
            }
            append(c);
            if (quoted) {
                if (c == '\\') {
                    append(next());
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ']') {
                return tokenAsString().toUpperCase(Locale.ROOT);
            }
        }
    }

    private String readDigits() throws IOException {
        tokenLength = 0;
        while (isDigit(require())) {
            append(next());
        }
        return tokenAsString();
    }

    /** A tag: astring characters up to the space (RFC 3501 tag excludes '+'). */
    private String readTag() throws IOException {
        tokenLength = 0;
        while (true) {
            int c = require();
            if (c == ' ' || c == '\r' || c == '\n' || c < 0x21 || c > 0x7e || c == '(' || c == ')' || c == '{'
                    || c == '"' || c == '%' || c == '*' || c == '+' || c == '\\') {
                break;
            }
            append(c);
            pos++;
        }
        if (tokenLength == 0) {
            throw new ImapProtocolException("response starts with " + printable(require()) + ", not a tag");
        }
        return tokenAsString();
    }

    /**
     * A lenient atom: bytes up to a space, parenthesis, line end, or (inside a response code) ']'. '[' and
     * ']' are kept elsewhere because mailbox names and flags may hold them.
     */
    private String readAtom(boolean inCode) throws IOException {
        tokenLength = 0;
        while (true) {
            int c = peek();
            if (c < 0 || c == ' ' || c == '(' || c == ')' || c == '\r' || c == '\n' || c == '"'
                    || inCode && c == ']') {
                break;
            }
            append(c);
            pos++;
        }
        return tokenAsString();
    }

    private String readQuoted() throws IOException {
        pos++; // opening quote
        tokenLength = 0;
        while (true) {
            int c = next();
            if (c == '"') {
                return tokenAsString();
            }
            if (c == '\\') {
                c = next();
            }
            if (c == '\r' || c == '\n') {
                throw new ImapProtocolException("line ended inside a quoted string");
            }
            append(c);
        }
    }

    /** {@code {n}CRLF} followed by n octets, read into memory within {@link ImapLimits#maxLiteralSize()}. */
    private byte[] readSmallLiteral() throws IOException {
        long length = readLiteralHeader();
        if (length > limits.maxLiteralSize()) {
            throw new ImapProtocolException("literal of " + length + " octets exceeds the limit of "
                    + limits.maxLiteralSize());
        }
        charge(length + ImapLimits.VALUE_OVERHEAD);
        byte[] bytes = new byte[(int) length];
        int done = 0;
        while (done < bytes.length) {
            if (pos == end && !fill()) {
                throw new EOFException("connection closed inside a literal");
            }
            int n = Math.min(bytes.length - done, end - pos);
            System.arraycopy(buf, pos, bytes, done, n);
            pos += n;
            done += n;
        }
        return bytes;
    }

    /** Reads {@code {n}CRLF} (the '{' not yet consumed) and returns n. */
    private long readLiteralHeader() throws IOException {
        expect('{');
        String digits = readDigits();
        long length = ImapValues.number(digits);
        expect('}');
        expect('\r');
        expect('\n');
        return length;
    }

    /** Response text up to the line end; lenient about a bare LF. */
    private String readText() throws IOException {
        tokenLength = 0;
        while (true) {
            int c = next();
            if (c == '\n') {
                break;
            }
            append(c);
        }
        if (tokenLength > 0 && token[tokenLength - 1] == '\r') {
            tokenLength--;
        }
        return tokenAsString();
    }

    private void expectLineEnd() throws IOException {
        int c = next();
        if (c == '\r') {
            c = next();
        }
        if (c != '\n') {
            throw new ImapProtocolException("expected end of line, got " + printable(c));
        }
    }

    private void expect(int wanted) throws IOException {
        int c = next();
        if (c != wanted) {
            throw new ImapProtocolException("expected " + printable(wanted) + ", got " + printable(c));
        }
    }

    private void append(int c) throws ImapProtocolException {
        if (tokenLength == limits.maxTokenLength()) {
            throw new ImapProtocolException("token longer than " + limits.maxTokenLength() + " octets");
        }
        if (tokenLength == token.length) {
            token = java.util.Arrays.copyOf(token, Math.min(limits.maxTokenLength(), token.length * 2));
        }
        token[tokenLength++] = (byte) c;
    }

    private String tokenAsString() throws ImapProtocolException {
        charge(tokenLength + ImapLimits.VALUE_OVERHEAD);
        return new String(token, 0, tokenLength, StandardCharsets.UTF_8);
    }

    private void charge(long bytes) throws ImapProtocolException {
        responseBytes += bytes;
        if (responseBytes > limits.maxResponseBytes()) {
            throw new ImapProtocolException("response larger than " + limits.maxResponseBytes() + " octets in memory"
                    + " (each token, list and literal counted with " + ImapLimits.VALUE_OVERHEAD + " octets of overhead)");
        }
    }

    /** The next byte without consuming it, -1 at end of stream. */
    private int peek() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    /** The byte {@code ahead} positions on, without consuming; may compact the buffer to see it. */
    private int peekAt(int ahead) throws IOException {
        while (end - pos <= ahead) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, end - pos);
                end -= pos;
                pos = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                return -1;
            }
            end += n;
        }
        return buf[pos + ahead] & 0xff;
    }

    /** The next byte without consuming it; end of stream is an error here. */
    private int require() throws IOException {
        int c = peek();
        if (c < 0) {
            throw new EOFException("connection closed by the server");
        }
        return c;
    }

    private int next() throws IOException {
        int c = require();
        pos++;
        return c;
    }

    /** Refills the empty buffer; false at end of stream. */
    private boolean fill() throws IOException {
        pos = 0;
        end = 0;
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            return false;
        }
        end = n;
        return true;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(int c) {
        if (c < 0) {
            return "end of stream";
        }
        return c >= 0x21 && c <= 0x7e ? "'" + (char) c + "'" : String.format("0x%02x", c);
    }

    /** A literal's content read straight from the buffer and socket, ending with the literal. */
    private final class LiteralStream extends InputStream {
        private long remaining;
        private boolean finished;

        LiteralStream(long length) {
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            checkOpen();
            if (remaining == 0) {
                return -1;
            }
            if (pos == end && !fill()) {
                throw new EOFException("connection closed inside a message literal");
            }
            remaining--;
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            checkOpen();
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (remaining == 0) {
                return -1;
            }
            if (pos == end && !fill()) {
                throw new EOFException("connection closed inside a message literal");
            }
            int n = (int) Math.min(Math.min(len, remaining), end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            remaining -= n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            checkOpen();
            long skipped = 0;
            while (skipped < n && remaining > 0) {
                if (pos == end && !fill()) {
                    throw new EOFException("connection closed inside a message literal");
                }
                int step = (int) Math.min(Math.min(n - skipped, remaining), end - pos);
                pos += step;
                remaining -= step;
                skipped += step;
            }
            return skipped;
        }

        @Override
        public int available() {
            return finished ? 0 : (int) Math.min(remaining, end - pos);
        }

        /** Closing leaves the connection alone; the rest of the literal is skipped when the consumer returns. */
        @Override
        public void close() {
        }

        private void checkOpen() throws IOException {
            if (finished) {
                throw new IOException("message content is only readable while its handler runs");
            }
        }

        /** Skips what the consumer left unread and makes the stream unusable. */
        void finish() throws IOException {
            if (!finished) {
                skip(remaining);
                finished = true;
            }
        }
    }
}
