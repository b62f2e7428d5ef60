package io.catalystmail.benchmarks;

/** What one measured run does; each is run for both components against the same server. */
public enum Workload {

    IMAP_CONSUME(Protocol.IMAP, Kind.STANDARD, false, "IMAP consume+delete"),
    IMAP_CONSUME_RAW(Protocol.IMAP, Kind.STANDARD, true, "IMAP consume+delete, raw"),
    POP3_CONSUME(Protocol.POP3, Kind.STANDARD, false, "POP3 consume+delete"),
    POP3_CONSUME_RAW(Protocol.POP3, Kind.STANDARD, true, "POP3 consume+delete, raw"),
    SMTP_SEND(Protocol.SMTP, Kind.STANDARD, false, "SMTP send"),
    /** Consumes the usual number of messages from a mailbox that holds many more. */
    IMAP_LARGE_MAILBOX(Protocol.IMAP, Kind.LARGE_MAILBOX, false, "IMAP consume+delete from a large mailbox"),
    /** One message with a very large attachment, in a small heap. */
    IMAP_LARGE_ATTACHMENT(Protocol.IMAP, Kind.LARGE_ATTACHMENT, false, "IMAP one large attachment, small heap"),
    POP3_LARGE_ATTACHMENT(Protocol.POP3, Kind.LARGE_ATTACHMENT, false, "POP3 one large attachment, small heap"),
    SMTP_LARGE_ATTACHMENT(Protocol.SMTP, Kind.LARGE_ATTACHMENT, false, "SMTP one large attachment from a file, small heap");

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

    public boolean largeAttachment() {
        return kind == Kind.LARGE_ATTACHMENT;
    }
}
