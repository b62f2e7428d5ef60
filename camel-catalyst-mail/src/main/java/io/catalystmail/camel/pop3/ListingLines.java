package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.util.BitSet;
import java.util.function.IntConsumer;

import io.catalystmail.camel.net.ServerText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lines of one UIDL or LIST answer checked against the maildrop as they are read (RFC 1939 §5, §7): one line
 * per message, each message once, numbered from 1 to the maildrop's size. A line beyond the messages STAT counted
 * fails the listing at once: the answer is broken or hostile and might never end, and the connection is out of
 * step. Before that, a line that is not "msg-number SP value", that names a message beyond the maildrop, or one listed
 * already, is skipped and named in a WARN (one bad line is the server's fault, not the other messages'); more than
 * {@value #MAX_INVALID_LINES} of those fail the listing too. So no answer is read past the count plus
 * {@value #MAX_INVALID_LINES} lines.
 */
final class ListingLines {

    /** Lines skipped (each named) before the answer is taken for garbage and abandoned. */
    static final int MAX_INVALID_LINES = 100;

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);

    private final String server;
    private final String command;
    private final MaildropSize maildrop;
    /** The message numbers listed so far, 1 to {@link MaildropSize#highestNumber()}: a bounded bit set. */
    private final BitSet listed = new BitSet();
    private long valid;
    private long skipped;

    /** @param server names the server: "POP3 server host:port" */
    ListingLines(String server, String command, MaildropSize maildrop) {
        this.server = server;
        this.command = command;
        this.maildrop = maildrop;
    }

    /**
     * The message number {@code line} lists; -1 when the line is skipped (it was named in a WARN), as it is when
     * {@code usable} is false (the caller could not use its value). A message listed again is skipped, and
     * {@code repeated} is told its number, so the line taken for it before can be dropped too: which of the two is
     * right, nobody can tell.
     */
    int number(ListingLine line, boolean usable, IntConsumer repeated) throws IOException {
        long number = usable ? line.number() : -1;
        if (number < 1 || number > Integer.MAX_VALUE) {
            return skipInvalid(line);
        }
        if (valid == maildrop.count()) {
            // whatever it names, a line after as many as the maildrop holds is one too many
            throw tooManyLines();
        }
        if (number > maildrop.highestNumber()) {
            return skipBeyond(line, number);
        }
        if (listed.get((int) number)) {
            repeated.accept((int) number);
            return skipRepeated(line, number);
        }
        valid++;
        listed.set((int) number);
        return (int) number;
    }

    // the failures below are built apart from number(), which every line of a listing runs through, to keep it small

    private int skipInvalid(ListingLine line) throws IOException {
        return skip(line, "an invalid " + command + " line");
    }

    private int skipBeyond(ListingLine line, long number) throws IOException {
        return skip(line, command + " line for message " + number + ", beyond the " + maildrop.highestNumber()
                + " message(s) of the maildrop");
    }

    private int skipRepeated(ListingLine line, long number) throws IOException {
        return skip(line, command + " line for message " + number + " listed already (neither line is taken)");
    }

    private IOException tooManyLines() {
        return new IOException(server + " answered " + command + " with more lines than " + maildrop.what()
                + "; the listing was abandoned there");
    }

    private int skip(ListingLine listed, String what) throws IOException {
        if (++skipped > MAX_INVALID_LINES) {
            throw new IOException(server + " answered " + command + " with more than " + MAX_INVALID_LINES
                    + " invalid lines; the listing was abandoned there");
        }
        // the server's bytes, control characters escaped as in Pop3Connection's errors: raw in a log, a NUL, a lone
        // CR or a terminal escape would hide or rewrite what the log says
        LOG.warn("{} sent {}, skipped: {}", server, what, ServerText.shown(listed.text(), Pop3Connection.LINE_SHOWN));
        return -1;
    }

    static long parseNumberOrInvalid(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
