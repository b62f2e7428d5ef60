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
public final class ImapResponseReader extends ImapTokenizer {

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


    /** RFC 3501 date-time: "dd-MMM-yyyy HH:mm:ss +zzzz", the day possibly space-padded. */
    private static final DateTimeFormatter INTERNALDATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);


    public ImapResponseReader(InputStream in, ImapLimits limits) {
        super(in, limits);
    }

    public ImapResponseReader(InputStream in) {
        this(in, ImapLimits.DEFAULT);
    }


    /** Reads the next response, reading any FETCH body literal into memory. */
    public ImapResponse read() throws IOException {
        return read(null);
    }

    /** Reads the next response, streaming FETCH body literals to {@code bodies} when it is not null. */
    public ImapResponse read(BodyConsumer bodies) throws IOException {
        return read(bodies, null);
    }

    /**
     * Reads the next response, streaming FETCH body literals to {@code bodies} when it is not null; the entries of a
     * SEARCH answer count against {@code search} (the bound of the SEARCH command in flight), unbounded when null.
     */
    ImapResponse read(BodyConsumer bodies, SearchAnswerBound search) throws IOException {
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
            return readUntagged(bodies, search);
        }
        String tag = readTag();
        expect(' ');
        readAtomToken(false);
        String status = tokenAsUpperCase(RESPONSE_NAMES);
        if (!status.equals("OK") && !status.equals("NO") && !status.equals("BAD")) {
            throw new ImapProtocolException("tagged response with status " + ImapValues.describe(status));
        }
        return readStatusRest(ImapResponse.Kind.TAGGED, tag, status);
    }

    private static final String FETCH = "FETCH";
    /**
     * The response names a mail session meets again and again (RFC 3501 §7): recognised in any case without making
     * a new string each time; the STATUS_NAMES first, as tagged answers carry them.
     */
    private static final String[] RESPONSE_NAMES = { "OK", "NO", "BAD", FETCH, "EXPUNGE", "EXISTS", "RECENT", "BYE",
            "SEARCH", "ESEARCH", "FLAGS", "VANISHED", "CAPABILITY", "LIST", "STATUS", "ENABLED", "ID" };

    private ImapResponse readUntagged(BodyConsumer bodies, SearchAnswerBound search) throws IOException {
        if (isDigit(require())) {
            long number = readNumber();
            expect(' ');
            readAtomToken(false);
            String type = tokenAsUpperCase(RESPONSE_NAMES);
            if (type.equals(FETCH)) {
                expect(' ');
                FetchData data = readFetch(number, bodies);
                expectLineEnd();
                return ImapResponse.fetch(data);
            }
            if (peek() == '\r') {
                // EXPUNGE, EXISTS, RECENT: nothing after the name (RFC 3501 §7.3, §7.4.1)
                expectLineEnd();
                return ImapResponse.data(number, type, List.of());
            }
            return ImapResponse.data(number, type, readValuesToLineEnd());
        }
        readAtomToken(false);
        String type = tokenAsUpperCase(RESPONSE_NAMES);
        if (ImapResponse.STATUS_NAMES.contains(type)) {
            return readStatusRest(ImapResponse.Kind.UNTAGGED, "*", type);
        }
        if (type.equals("SEARCH")) {
            return ImapResponse.data(-1, type, List.of(readSearchUids(search)));
        }
        return ImapResponse.data(-1, type, readValuesToLineEnd());
    }

    /**
     * {@code * SEARCH 1 2 3 ...} (RFC 3501 §7.2.5) read straight into {@link UidRanges}, never as tokens: the
     * answer for a big mailbox may hold millions of numbers, spread over one line. A CONDSTORE {@code (MODSEQ n)}
     * is skipped; anything that is not a UID is counted as invalid. Each entry counts against {@code bound}, when
     * there is one, as it is read: a line without end fails there.
     */
    private UidRanges readSearchUids(SearchAnswerBound bound) throws IOException {
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
                if (bound != null) {
                    bound.count();
                }
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
                if (bound != null) {
                    bound.count();
                }
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


    /**
     * The item list of a FETCH response. The items the consumer's UID FETCH asks for (see {@link #FETCH_ITEM_NAMES})
     * come in every response: they are told apart by their index and read by their own syntax, without strings for
     * their names or numbers; any other item, or one of those with a section or origin, goes to
     * {@link #readNamedItem}. One method with the loop on purpose: HotSpot counts the loop's turns, so it is compiled
     * whole after some hundred responses, before its once-per-response callers, which then call it instead of
     * compiling it again inlined into themselves.
     */
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
            int item = readFetchItemName();
            if (item == OTHER_ITEM) {
                readNamedItem(data, tokenAsString().toUpperCase(Locale.ROOT), bodies);
            } else if (item == BODY && peek() == '[' && peekAt(1) == ']' && peekAt(2) == ' ') {
                pos += 3; // "[] ": the whole message, no origin
                data.otherItem(WHOLE_BODY, readBody(data, WHOLE_BODY, -1, bodies));
            } else if (item == BODY || peek() != ' ') {
                readNamedItem(data, FETCH_ITEM_NAMES[item], bodies);
            } else {
                pos++;
                switch (item) {
                    case UID -> data.uid(readNumber());
                    case RFC822_SIZE -> data.size(readNumber());
                    case FLAGS -> data.flags(readFlags());
                    default -> data.internalDate(readInternalDate());
                }
            }
        }
    }

    /**
     * Any other FETCH item by its (upper-case) name, with its section and origin, then its value: a body section
     * by {@link #readBody}, the rest in the generic value model.
     */
    private void readNamedItem(FetchData data, String itemName, BodyConsumer bodies) throws IOException {
        String name = itemName;
        long origin = -1;
        if (peek() == '[') {
            String section = readSection();
            name = name.equals("BODY") && section.equals("[]") ? WHOLE_BODY : name + section;
            if (peek() == '<') {
                pos++;
                origin = readDigitsAsNumber();
                expect('>');
            }
        }
        expect(' ');
        data.otherItem(name, isBodyItem(name) ? readBody(data, name, origin, bodies) : readValue(0, false));
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

    /**
     * FLAGS (RFC 3501 §7.4.2): a parenthesised list of atoms, read straight into the set; the system flags (§2.3.2)
     * are the same strings message after message. No flag (new mail) is the shared empty set.
     */
    private Set<String> readFlags() throws IOException {
        if (require() != '(') {
            throw new ImapProtocolException("expected a parenthesised list, got "
                    + ImapValues.describe(readValue(0, false)));
        }
        pos++;
        charge(ImapLimits.VALUE_OVERHEAD);
        Set<String> flags = Set.of();
        while (true) {
            int c = require();
            if (c == ')') {
                pos++;
                return flags;
            }
            if (c == ' ') {
                pos++;
                continue;
            }
            if (c == '\r' || c == '\n') {
                throw new ImapProtocolException("line ended inside a parenthesised list");
            }
            String flag = readFlag(c);
            if (flags.isEmpty()) {
                flags = Set.of(flag);
            } else {
                if (!(flags instanceof LinkedHashSet)) {
                    flags = new LinkedHashSet<>(flags); // in the server's order, as one flag was
                }
                flags.add(flag);
            }
        }
    }

    /** One flag of a FLAGS list, {@code c} its first octet: an atom, not NIL, a string or a list. */
    private String readFlag(int c) throws IOException {
        if (c == '(' || c == '"' || c == '{' || c == '~' && peekAt(1) == '{') {
            throw new ImapProtocolException("a flag must be an atom, got " + ImapValues.describe(readValue(1, false)));
        }
        readAtomToken(false);
        String flag = tokenAsExactly(SYSTEM_FLAGS);
        if (flag == null) {
            flag = tokenAsString();
            if (flag.equalsIgnoreCase("NIL")) {
                throw new ImapProtocolException("a flag must be an atom, got NIL");
            }
        }
        return flag;
    }

    private static final String[] SYSTEM_FLAGS = { "\\Seen", "\\Recent", "\\Answered", "\\Flagged", "\\Deleted",
            "\\Draft" };

    /**
     * INTERNALDATE: the quoted date-time servers send is read by its fixed positions (see {@link InternalDate})
     * straight from the octets; any other form goes the lenient way of {@link #parseInternalDate}.
     */
    private Instant readInternalDate() throws IOException {
        if (require() != '"') {
            return parseInternalDate(ImapValues.text(readValue(0, false)));
        }
        readQuotedToken();
        Instant fixed = InternalDate.parse(token, tokenLength);
        return fixed != null ? fixed : parseInternalDate(tokenAsString());
    }

    private static Instant parseInternalDate(String text) throws ImapProtocolException {
        if (text == null) {
            return null;
        }
        String stripped = text.strip();
        byte[] octets = stripped.getBytes(StandardCharsets.UTF_8);
        Instant fixed = InternalDate.parse(octets, octets.length);
        if (fixed != null) {
            return fixed;
        }
        try {
            return OffsetDateTime.parse(stripped, INTERNALDATE).toInstant();
        } catch (DateTimeParseException e) {
            throw new ImapProtocolException("INTERNALDATE not in RFC 3501 date-time form: " + ImapValues.describe(text));
        }
    }

    /**
     * Item names are atoms such as RFC822.SIZE or BODY; they end at '[', a space or ')'. Returns the index of the
     * name in {@link #FETCH_ITEM_NAMES}, or {@link #OTHER_ITEM} with the name left in the token.
     */
    private int readFetchItemName() throws IOException {
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
        return tokenIndexIn(FETCH_ITEM_NAMES);
    }

    /** The items the consumer's UID FETCH asks for, and the body's section; each response repeats them. */
    private static final String[] FETCH_ITEM_NAMES = { "UID", "FLAGS", "INTERNALDATE", "RFC822.SIZE", "BODY" };
    private static final int UID = 0;
    private static final int FLAGS = 1;
    private static final int RFC822_SIZE = 3;
    private static final int BODY = 4;
    private static final int OTHER_ITEM = -1;
    private static final String WHOLE_BODY = "BODY[]";
    private static final String[] WHOLE_BODY_SECTION = { "[]" };

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
                String known = tokenAsKnown(WHOLE_BODY_SECTION);
                return known != null ? known : tokenAsString().toUpperCase(Locale.ROOT);
            }
        }
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
}
