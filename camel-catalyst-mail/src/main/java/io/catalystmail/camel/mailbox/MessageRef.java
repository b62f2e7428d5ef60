package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One message in a mailbox, as listed before it is fetched.
 *
 * @param id       the server's stable id for it: the IMAP UID (as decimal text) or the POP3 UIDL
 * @param number   the POP3 message number in this session; 0 over IMAP
 * @param size     size in octets as the server reports it, -1 when unknown
 * @param date     the server's arrival date (IMAP INTERNALDATE), null when unknown
 * @param identity a key that names this message across sessions and hosts, for idempotency: host, user,
 *                 folder, UIDVALIDITY and UID over IMAP (an RFC 5092-style URL), host, user and UIDL over POP3
 */
public record MessageRef(String id, int number, long size, Instant date, String identity) {

    public MessageRef {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(identity, "identity");
    }

    /**
     * True when the ref names the message by its POP3 message number, which holds only in the session that listed it
     * (RFC 1939 §4; only the UIDL persists across sessions, §7).
     */
    public boolean numberedInSession() {
        return number > 0;
    }

    /**
     * The identity's hash: it alone tells messages apart, and a String keeps its hash. Written out, as is
     * {@link #equals}, because a record's generated pair is a chain of method handles over every component that the
     * JIT compiler works through (twice in a profiled run) while a consumer keys its rounds by refs.
     */
    @Override
    public int hashCode() {
        return identity.hashCode();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MessageRef ref && identity.equals(ref.identity) && id.equals(ref.id)
               && number == ref.number && size == ref.size && Objects.equals(date, ref.date);
    }

    /**
     * The IMAP UID; only meaningful for refs listed by an IMAP session. Read from the decimal id by hand: the consumer
     * asks for it a few times per message, and {@code Long.parseLong}'s sign and radix handling put 633 bytecode bytes
     * into every compiled caller (the benchmark's compilations report); this loop is a tenth of that.
     *
     * @throws NumberFormatException when the id is not 1 to 18 decimal digits (an IMAP UID has at most 10,
     *                               RFC 3501 §9)
     */
    public long uid() {
        int length = id.length();
        if (length == 0 || length > 18) {
            throw notAUid();
        }
        long uid = 0;
        for (int i = 0; i < length; i++) {
            int digit = id.charAt(i) - '0';
            if (digit < 0 || digit > 9) {
                throw notAUid();
            }
            uid = uid * 10 + digit;
        }
        return uid;
    }

    private NumberFormatException notAUid() {
        return new NumberFormatException("not an IMAP UID: \"" + id + "\"");
    }
}
