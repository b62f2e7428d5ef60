package io.catalystmail.camel.imap;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;

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
public final class ImapResponseReader extends FetchItemsReader {

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

        /**
         * For a consumer outside this package that refuses {@code content} for its {@code length} above
         * {@code limit}, as the consumer's MessageDelivery does: a literal more than
         * {@code MessageDelivery.MOST_SKIPPED} (1 MiB) above the limit is too long to read past, so the read gives up
         * on it and fails with the exception {@code reason} makes of that margin, returned for the caller to throw;
         * the connection, out of step, is dropped. Null within the margin: the reader skips the literal and the
         * connection stays in step.
         */
        static IOException abandonIfFarAbove(InputStream content, long length, long limit,
                LongFunction<IOException> reason) {
            if (length - limit <= MessageDelivery.MOST_SKIPPED || !(content instanceof LiteralStream literal)) {
                return null;
            }
            return literal.abandon(reason.apply(MessageDelivery.MOST_SKIPPED));
        }
    }



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
        if (c != '*') {
            return c == '+' ? readContinuation() : readTagged();
        }
        pos++;
        expect(' ');
        return isDigit(require()) ? readMessageData(bodies) : readNamedUntagged(search);
    }

    private static final String FETCH = "FETCH";
    /**
     * The response names a mail session meets again and again (RFC 3501 §7): recognised in any case without making
     * a new string each time; the STATUS_NAMES first, as tagged answers carry them.
     */
    private static final String[] RESPONSE_NAMES = { "OK", "NO", "BAD", FETCH, "EXPUNGE", "EXISTS", "RECENT", "BYE",
            "SEARCH", "ESEARCH", "FLAGS", "VANISHED", "CAPABILITY", "LIST", "STATUS", "ENABLED", "ID" };

    /**
     * {@code * n name ...} (RFC 3501 §7.3, §7.4): FETCH, EXPUNGE, EXISTS, RECENT, the responses a poll reads per
     * message. Apart from the rest of {@link #read}, whose responses come a few per command: this is what the JIT
     * compiler finds hot first, and it compiles it without their parsing.
     */
    private ImapResponse readMessageData(BodyConsumer bodies) throws IOException {
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

    /** {@code + text}: a continuation request (RFC 3501 §7.5). */
    private ImapResponse readContinuation() throws IOException {
        pos++;
        if (peek() == ' ') {
            pos++;
        }
        return ImapResponse.continuation(readText());
    }

    /** {@code tag OK|NO|BAD [code] text}: a command's answer (RFC 3501 §7.1). */
    private ImapResponse readTagged() throws IOException {
        String tag = readTag();
        expect(' ');
        readAtomToken(false);
        String status = tokenAsUpperCase(RESPONSE_NAMES);
        if (!status.equals("OK") && !status.equals("NO") && !status.equals("BAD")) {
            throw new ImapProtocolException("tagged response with status " + ImapValues.describe(status));
        }
        return readStatusRest(ImapResponse.Kind.TAGGED, tag, status);
    }

    /** An untagged response without a number: a status (OK, BYE...) or data such as SEARCH or CAPABILITY. */
    private ImapResponse readNamedUntagged(SearchAnswerBound search) throws IOException {
        readAtomToken(false);
        String type = tokenAsUpperCase(RESPONSE_NAMES);
        if (ImapResponse.STATUS_NAMES.contains(type)) {
            return readStatusRest(ImapResponse.Kind.UNTAGGED, "*", type);
        }
        if (type.equals("SEARCH")) {
            return ImapResponse.data(-1, type, List.of(readSearchUids(search)));
        }
        if (type.equals("ESEARCH") && search != null) {
            // one ESEARCH answers a command (RFC 4731 §3.1); each counts as an entry, so that ESEARCH lines without
            // end fail at the bound instead of being read until the deadline
            search.count();
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
                if (after != ' ' && after != '\r' && after != '\n') {
                    skipInvalid(uids, digitsRead(number, digits));
                } else if (digits > 10 || !uids.add(number)) {
                    uids.addInvalid(digitsRead(number, digits));
                }
            } else {
                if (bound != null) {
                    bound.count();
                }
                skipInvalid(uids, "");
            }
        }
    }

    /** The digits of a SEARCH entry as read: the first eleven are kept, enough to show a number past 2^32-1. */
    private static String digitsRead(long firstEleven, int digits) {
        return digits > 11 ? firstEleven + "..." : Long.toString(firstEleven);
    }

    /**
     * Skips a word of a SEARCH answer that is not a UID ({@code read} of it read already), counting it as invalid
     * and keeping its text for the warning, as for ESEARCH.
     */
    private void skipInvalid(UidRanges uids, String read) throws IOException {
        String rest = readAtom(false);
        int stop = peek();
        if (rest.isEmpty() && stop != ' ' && stop != '\r' && stop != '\n') {
            // a quote or parenthesis, alone or right after digits ("12)"): part of this entry, so that a '(' is not
            // taken for a MODSEQ list and a ')' not counted as an entry of its own
            rest = String.valueOf((char) next());
        }
        responseBytes = 0;
        uids.addInvalid(read + rest);
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
