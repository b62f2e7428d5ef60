package io.catalystmail.camel;

import java.util.Locale;

/**
 * The protocols a {@code catalystmail:} endpoint speaks, with their standard ports. The secure variants use
 * implicit TLS; {@link #SUBMISSION} is SMTP message submission on 587 with STARTTLS required (RFC 6409).
 */
public enum MailProtocol {
    SMTP(Kind.SMTP, 25, 465, false),
    SMTPS(Kind.SMTP, 465, 465, true),
    SUBMISSION(Kind.SMTP, 587, 465, false),
    IMAP(Kind.IMAP, 143, 993, false),
    IMAPS(Kind.IMAP, 993, 993, true),
    POP3(Kind.POP3, 110, 995, false),
    POP3S(Kind.POP3, 995, 995, true);

    /** What the endpoint does: SMTP sends, IMAP and POP3 receive. */
    public enum Kind { SMTP, IMAP, POP3 }

    private final Kind kind;
    private final int plainPort;
    private final int securePort;
    private final boolean implicitTls;

    MailProtocol(Kind kind, int plainPort, int securePort, boolean implicitTls) {
        this.kind = kind;
        this.plainPort = plainPort;
        this.securePort = securePort;
        this.implicitTls = implicitTls;
    }

    public Kind kind() {
        return kind;
    }

    /** True for the protocols whose name promises implicit TLS (smtps, imaps, pop3s). */
    public boolean implicitTls() {
        return implicitTls;
    }

    public String scheme() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The standard port for this protocol, the implicit-TLS one when {@code secure}. */
    public int standardPort(boolean secure) {
        return secure ? securePort : plainPort;
    }

    /** The protocol named by a URI segment such as {@code imaps}, or null when the name is not one. */
    public static MailProtocol fromScheme(String name) {
        for (MailProtocol p : values()) {
            if (p.scheme().equalsIgnoreCase(name)) {
                return p;
            }
        }
        return null;
    }
}
