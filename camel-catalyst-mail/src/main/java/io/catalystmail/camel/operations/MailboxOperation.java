package io.catalystmail.camel.operations;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a {@code catalystmail:imap:} or {@code catalystmail:pop3:} producer does with an exchange: the IMAP4rev1
 * command set (RFC 3501 §6.3 and §6.4) and, for POP3, the maildrop listing commands (RFC 1939 §5).
 */
public enum MailboxOperation {
    APPEND(true, false, true), CREATE(true, false, false), DELETE(true, false, false), RENAME(true, false, false),
    SUBSCRIBE(true, false, false), UNSUBSCRIBE(true, false, false), LIST(true, true, false), LSUB(true, false, false),
    STATUS(true, false, false), SEARCH(true, false, false), FETCH(true, false, false), STORE(true, false, false),
    COPY(true, false, false), MOVE(true, false, false), EXPUNGE(true, false, false), CHECK(true, false, false),
    CLOSE(true, false, false), STAT(false, true, false), UIDL(false, true, false);

    private final boolean imap;
    private final boolean pop3;
    private final boolean writesMessage;

    MailboxOperation(boolean imap, boolean pop3, boolean writesMessage) {
        this.imap = imap;
        this.pop3 = pop3;
        this.writesMessage = writesMessage;
    }

    /** The operations of IMAP or POP3, for error messages and the option's documentation. */
    public static String names(boolean forImap) {
        return Arrays.stream(values()).filter(o -> forImap ? o.imap : o.pop3)
                .map(o -> o.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    /**
     * The operation named (any case), refused with the list of valid ones when it is unknown or not one of the
     * protocol's.
     */
    public static MailboxOperation of(String name, boolean forImap, String where) {
        String protocol = forImap ? "IMAP" : "POP3";
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("No mailbox operation: set the operation option or the " + where
                    + " header to one of " + names(forImap));
        }
        MailboxOperation operation;
        try {
            operation = valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            operation = null;
        }
        if (operation == null || (forImap ? !operation.imap : !operation.pop3)) {
            String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
            throw new IllegalArgumentException("Unknown " + protocol + " operation '" + shown.replaceAll("\\p{Cntrl}", "?")
                    + "' (" + where + "); valid: " + names(forImap));
        }
        return operation;
    }

    /** True when the operation puts the exchange's message into the mailbox (APPEND). */
    boolean writesMessage() {
        return writesMessage;
    }
}
