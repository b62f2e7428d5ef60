package io.catalystmail.benchmarks;

/** What one measured run does; each is run for both components against the same server. */
public enum Workload {

    IMAP_CONSUME(Protocol.IMAP, Kind.STANDARD, false, "IMAP consume+delete"),
    IMAP_CONSUME_RAW(Protocol.IMAP, Kind.STANDARD, true, "IMAP consume+delete, raw"),
    POP3_CONSUME(Protocol.POP3, Kind.STANDARD, false, "POP3 consume+delete"),
    POP3_CONSUME_RAW(Protocol.POP3, Kind.STANDARD, true, "POP3 consume+delete, raw"),
    SMTP_SEND(Protocol.SMTP, Kind.STANDARD, false, "SMTP send"),
    /** A route sending from 8 threads at once (the wire: smtp-source with as many sessions). */
    SMTP_SEND_CONCURRENT(Protocol.SMTP, Kind.STANDARD, false, "SMTP send, 8 threads"),
    /** Consumes the usual number of messages from a mailbox that holds many more. */
    IMAP_LARGE_MAILBOX(Protocol.IMAP, Kind.LARGE_MAILBOX, false, "IMAP consume+delete from a large mailbox"),
    /** The same over POP3, where every poll lists (UIDL and LIST) the whole maildrop. */
    POP3_LARGE_MAILBOX(Protocol.POP3, Kind.LARGE_MAILBOX, false, "POP3 consume+delete from a large mailbox"),
    /** One message with a very large attachment, in a small heap. */
    IMAP_LARGE_ATTACHMENT(Protocol.IMAP, Kind.LARGE_ATTACHMENT, false, "IMAP one large attachment, small heap"),
    POP3_LARGE_ATTACHMENT(Protocol.POP3, Kind.LARGE_ATTACHMENT, false, "POP3 one large attachment, small heap"),
    SMTP_LARGE_ATTACHMENT(Protocol.SMTP, Kind.LARGE_ATTACHMENT, false, "SMTP one large attachment from a file, small heap");

    /** Sending threads of {@link #SMTP_SEND_CONCURRENT}. */
    public static final int CONCURRENT_SENDERS = 8;

    public enum Protocol { IMAP, POP3, SMTP }

    public enum Kind { STANDARD, LARGE_MAILBOX, LARGE_ATTACHMENT }

    private final Protocol protocol;
    private final Kind kind;
    private final boolean raw;
    private final String title;

    Workload(Protocol protocol, Kind kind, boolean raw, String title) {
        this.protocol = protocol;
        this.kind = kind;
        this.raw = raw;
        this.title = title;
    }

    public Protocol protocol() {
        return protocol;
    }

    public Kind kind() {
        return kind;
    }

    public boolean raw() {
        return raw;
    }

    public String title() {
        return title;
    }

    public boolean consumes() {
        return protocol != Protocol.SMTP;
    }

    /** Threads sending at once (1 except for {@link #SMTP_SEND_CONCURRENT}). */
    public int senders() {
        return this == SMTP_SEND_CONCURRENT ? CONCURRENT_SENDERS : 1;
    }

    /**
     * The workload whose raw-wire run is this one's limit: itself, the mapped variant for a raw one (the wire reads
     * the same bytes either way), none for the large-attachment workloads (they are about memory).
     */
    public Workload wireReference() {
        return switch (this) {
            case IMAP_CONSUME_RAW -> IMAP_CONSUME;
            case POP3_CONSUME_RAW -> POP3_CONSUME;
            case IMAP_LARGE_ATTACHMENT, POP3_LARGE_ATTACHMENT, SMTP_LARGE_ATTACHMENT -> null;
            default -> this;
        };
    }

    /**
     * For a large-mailbox workload, the workload that consumes as many messages from a mailbox of only those (issue
     * 19: the per-message cost from 10,000 within 1.1x of that from 1,000); null for the others.
     */
    public Workload smallMailboxReference() {
        return switch (this) {
            case IMAP_LARGE_MAILBOX -> IMAP_CONSUME;
            case POP3_LARGE_MAILBOX -> POP3_CONSUME;
            default -> null;
        };
    }

    public boolean largeAttachment() {
        return kind == Kind.LARGE_ATTACHMENT;
    }
}
