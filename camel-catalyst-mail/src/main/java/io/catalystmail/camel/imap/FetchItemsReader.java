package io.catalystmail.camel.imap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import io.catalystmail.camel.imap.ImapResponseReader.BodyConsumer;

/**
 * The items of a FETCH response (RFC 3501 §7.4.2) on top of the tokens: the ones the consumer asks for by their own
 * syntax, body literals handed to a {@link BodyConsumer} as streams, any other item in the generic value model.
 * {@link ImapResponseReader} adds the grammar of whole responses.
 */
abstract class FetchItemsReader extends ImapTokenizer {

    FetchItemsReader(InputStream in, ImapLimits limits) {
        super(in, limits);
    }

    /** RFC 3501 date-time: "dd-MMM-yyyy HH:mm:ss +zzzz", the day possibly space-padded. */
    private static final DateTimeFormatter INTERNALDATE = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("d-MMM-yyyy HH:mm:ss Z").toFormatter(Locale.ENGLISH);

    /**
     * The item list of a FETCH response. The items the consumer's UID FETCH asks for (see {@link #FETCH_ITEM_NAMES})
     * come in every response: they are told apart by their index and read by their own syntax, without strings for
     * their names or numbers; any other item, or one of those with a section or origin, goes to
     * {@link #readNamedItem}. One method with the loop on purpose: HotSpot counts the loop's turns, so it is compiled
     * whole after some hundred responses, before its once-per-response callers, which then call it instead of
     * compiling it again inlined into themselves.
     */
    final FetchData readFetch(long sequence, BodyConsumer bodies) throws IOException {
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
                readBodyItem(data, WHOLE_BODY, -1, bodies);
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
     * by {@link #readBodyItem}, the rest in the generic value model.
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
        if (isBodyItem(name)) {
            readBodyItem(data, name, origin, bodies);
        } else {
            data.otherItem(name, readValue(0, false));
        }
    }

    private static boolean isBodyItem(String name) {
        return name.startsWith("BODY[") || name.startsWith("BINARY[") || name.equals("RFC822")
                || name.equals("RFC822.HEADER") || name.equals("RFC822.TEXT");
    }

    /**
     * A body item's nstring. A literal goes to the consumer as a stream when there is one, and is not stored: the
     * consumer had it (nothing is made per message for it); quoted strings and NIL are small and are stored as
     * bytes / null.
     */
    private void readBodyItem(FetchData data, String name, long origin, BodyConsumer bodies) throws IOException {
        int c = require();
        boolean literal = c == '{' || c == '~' && peekAt(1) == '{';
        if (!literal || bodies == null) {
            storeBodyItem(data, name);
            return;
        }
        if (c == '~') {
            pos++;
        }
        long length = readLiteralHeader();
        LiteralStream content = new LiteralStream(this, length);
        try {
            bodies.onBody(data, name, origin, length, content);
        } finally {
            content.finish();
        }
    }

    /**
     * A body item kept in memory: a quoted string or NIL, or any literal when there is no consumer. A method of its own,
     * like MessageDelivery's rare paths: readBodyItem is inlined into the compiled FETCH parsing, and the JIT counts
     * every bytecode of an inlined method against that compile's budget.
     */
    private void storeBodyItem(FetchData data, String name) throws IOException {
        Object value = readValue(0, false);
        data.otherItem(name, value instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : value);
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
}
