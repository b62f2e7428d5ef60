package io.catalystmail.camel.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The byte level of IMAP response parsing (RFC 3501 §4 and §9): a buffer over the raw socket stream, and the
 * tokens every response is made of (atoms, quoted strings, literals, parenthesised lists, NIL), each bounded by
 * {@link ImapLimits}. {@link ImapResponseReader} adds the grammar of whole responses on top; the split keeps the
 * bounds in one place, which is what a hostile server probes.
 */
abstract class ImapTokenizer {

    static final int BUFFER_SIZE = 64 * 1024;
    /**
     * The octets that end an atom, the table chosen before the loop. With "inCode && c == ']'" in the loop's test,
     * C2 hoisted the loop-invariant inCode, false in every call it had profiled, out of the loop as a predicate:
     * the first atom of a response code failed it (JFR: 4 profile_predicate traps at that line, then a recompile).
     */
    private static final boolean[] ATOM_ENDS = atomEnds(" ()\r\n\"");
    private static final boolean[] CODE_ATOM_ENDS = atomEnds(" ()\r\n\"]");

    final InputStream in;
    final ImapLimits limits;
    final byte[] buf = new byte[BUFFER_SIZE];
    int pos;
    int end;
    byte[] token = new byte[256];
    int tokenLength;
    /** Bytes of the current response held in memory: bounded by {@link ImapLimits#maxResponseBytes()}. */
    long responseBytes;

    ImapTokenizer(InputStream in, ImapLimits limits) {
        this.in = in;
        this.limits = limits;
    }

    /** True when bytes beyond the last response are already buffered (they must not be after STARTTLS). */
    public boolean hasBufferedInput() {
        return pos < end;
    }

    List<Object> readValuesToLineEnd() throws IOException {
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
    Object readValue(int depth, boolean inCode) throws IOException {
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

    List<Object> readList(int depth, boolean inCode) throws IOException {
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
    /** Decimal digits (a literal's length, a partial fetch's origin) as a number; none, or too many, fail. */
    long readDigitsAsNumber() throws IOException {
        tokenLength = 0;
        while (isDigit(require())) {
            append(next());
        }
        return tokenAsNumber();
    }

    /**
     * A number (RFC 3501 number / number64, e.g. a UID or RFC822.SIZE) read as a lenient atom and converted
     * without making a string: anything but 1 to 18 digits fails.
     */
    long readNumber() throws IOException {
        readAtomToken(false);
        return tokenAsNumber();
    }

    /**
     * A lenient atom: bytes up to a space, parenthesis, line end, or (inside a response code) ']'. '[' and
     * ']' are kept elsewhere because mailbox names and flags may hold them.
     */
    String readAtom(boolean inCode) throws IOException {
        readAtomToken(inCode);
        return tokenAsString();
    }

    /** Reads an atom (see {@link #readAtom}) into the token, for the caller to turn into what it stands for. */
    void readAtomToken(boolean inCode) throws IOException {
        // chosen here, in a method small enough to be inlined where inCode is a constant, not per octet
        readAtomTokenUntil(inCode ? CODE_ATOM_ENDS : ATOM_ENDS);
    }

    private void readAtomTokenUntil(boolean[] ends) throws IOException {
        tokenLength = 0;
        int c;
        while ((c = peek()) >= 0 && !ends[c]) {
            append(c);
            pos++;
        }
    }

    private static boolean[] atomEnds(String ends) {
        boolean[] table = new boolean[256];
        for (int i = 0; i < ends.length(); i++) {
            table[ends.charAt(i)] = true;
        }
        return table;
    }

    String readQuoted() throws IOException {
        readQuotedToken();
        return tokenAsString();
    }

    /** Reads a quoted string (the '"' not yet consumed) into the token, unescaped. */
    void readQuotedToken() throws IOException {
        pos++; // opening quote
        tokenLength = 0;
        while (true) {
            int c = next();
            if (c == '"') {
                return;
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
    byte[] readSmallLiteral() throws IOException {
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
    long readLiteralHeader() throws IOException {
        expect('{');
        long length = readDigitsAsNumber();
        expect('}');
        expect('\r');
        expect('\n');
        return length;
    }

    /** Response text up to the line end; lenient about a bare LF. */
    String readText() throws IOException {
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

    void expectLineEnd() throws IOException {
        int c = next();
        if (c == '\r') {
            c = next();
        }
        if (c != '\n') {
            throw new ImapProtocolException("expected end of line, got " + printable(c));
        }
    }

    void expect(int wanted) throws IOException {
        int c = next();
        if (c != wanted) {
            throw new ImapProtocolException("expected " + printable(wanted) + ", got " + printable(c));
        }
    }

    void append(int c) throws ImapProtocolException {
        if (tokenLength == limits.maxTokenLength()) {
            throw new ImapProtocolException("token longer than " + limits.maxTokenLength() + " octets");
        }
        if (tokenLength == token.length) {
            token = java.util.Arrays.copyOf(token, Math.min(limits.maxTokenLength(), token.length * 2));
        }
        token[tokenLength++] = (byte) c;
    }

    String tokenAsString() throws ImapProtocolException {
        charge(tokenLength + ImapLimits.VALUE_OVERHEAD);
        return new String(token, 0, tokenLength, StandardCharsets.UTF_8);
    }

    /**
     * The entry of {@code known} (upper-case ASCII) that the token spells, ignoring ASCII case, or null: names every
     * FETCH response repeats are then not made into new strings message after message.
     */
    String tokenAsKnown(String[] known) throws ImapProtocolException {
        int index = tokenIndexIn(known);
        return index < 0 ? null : known[index];
    }

    /** The index of the entry of {@code known} the token spells (see {@link #tokenAsKnown}), or -1. */
    int tokenIndexIn(String[] known) throws ImapProtocolException {
        for (int i = 0; i < known.length; i++) {
            if (known[i].length() == tokenLength && spells(known[i])) {
                charge(tokenLength + ImapLimits.VALUE_OVERHEAD);
                return i;
            }
        }
        return -1;
    }

    /** {@link #tokenAsKnown}, or else the token as a new upper-case string (response and item names). */
    String tokenAsUpperCase(String[] known) throws ImapProtocolException {
        String name = tokenAsKnown(known);
        return name != null ? name : tokenAsString().toUpperCase(Locale.ROOT);
    }

    /**
     * The entry of {@code known} whose octets the token is, exactly, or null: for values whose spelling is kept as
     * the server sent it (flags).
     */
    String tokenAsExactly(String[] known) throws ImapProtocolException {
        for (String name : known) {
            if (name.length() == tokenLength && equalsToken(name)) {
                charge(tokenLength + ImapLimits.VALUE_OVERHEAD);
                return name;
            }
        }
        return null;
    }

    private boolean equalsToken(String ascii) {
        for (int i = 0; i < tokenLength; i++) {
            if (token[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** The token's decimal digits as a number; not a string of 1 to 18 digits fails naming what it was. */
    long tokenAsNumber() throws ImapProtocolException {
        if (tokenLength == 0 || tokenLength > 18) {
            throw notANumber();
        }
        long n = 0;
        for (int i = 0; i < tokenLength; i++) {
            int c = token[i];
            if (!isDigit(c)) {
                throw notANumber();
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private ImapProtocolException notANumber() {
        return new ImapProtocolException("expected a number, got "
                + ImapValues.describe(new String(token, 0, tokenLength, StandardCharsets.UTF_8)));
    }

    private boolean spells(String upperCase) {
        for (int i = 0; i < tokenLength; i++) {
            int c = token[i];
            if (c >= 'a' && c <= 'z') {
                c -= 'a' - 'A';
            }
            if (c != upperCase.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    void charge(long bytes) throws ImapProtocolException {
        responseBytes += bytes;
        if (responseBytes > limits.maxResponseBytes()) {
            throw new ImapProtocolException("response larger than " + limits.maxResponseBytes() + " octets in memory"
                    + " (each token, list and literal counted with " + ImapLimits.VALUE_OVERHEAD + " octets of overhead)");
        }
    }

    /** The next byte without consuming it, -1 at end of stream. */
    int peek() throws IOException {
        if (pos == end && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    /** The byte {@code ahead} positions on, without consuming; may compact the buffer to see it. */
    int peekAt(int ahead) throws IOException {
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
    int require() throws IOException {
        int c = peek();
        if (c < 0) {
            throw new EOFException("connection closed by the server");
        }
        return c;
    }

    int next() throws IOException {
        int c = require();
        pos++;
        return c;
    }

    /** Refills the empty buffer; false at end of stream. */
    boolean fill() throws IOException {
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

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    static String printable(int c) {
        if (c < 0) {
            return "end of stream";
        }
        return switch (c) {
            case ' ' -> "a space";
            case '\r' -> "end of line (CR)";
            case '\n' -> "end of line (LF)";
            case '\t' -> "a tab";
            default -> c >= 0x21 && c <= 0x7e ? "'" + (char) c + "'" : String.format("the byte 0x%02x", c);
        };
    }
}
