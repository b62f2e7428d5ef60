package io.catalystmail.camel.smtp;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The SMTP envelope of one message (RFC 5321 §2.3.1): reverse-path, recipients and DSN (RFC 3461) options.
 *
 * @param from          the reverse-path address without angle brackets; empty for the null sender {@code <>}
 * @param recipients    at least one recipient
 * @param dsnReturn     {@code FULL}, {@code HDRS} or null; sent only when the server offers DSN
 * @param dsnEnvelopeId the ENVID, or null; sent xtext-encoded only when the server offers DSN
 */
public record Envelope(String from, List<Recipient> recipients, String dsnReturn, String dsnEnvelopeId) {

    /** Throws IllegalArgumentException before anything reaches a server: bad addresses, no recipients. */
    public Envelope {
        AddressSyntax.check("sender", from);
        if (recipients == null || recipients.isEmpty()) {
            throw new IllegalArgumentException("the envelope has no recipients");
        }
        recipients = List.copyOf(recipients);
        if (dsnReturn != null) {
            dsnReturn = dsnReturn.trim().toUpperCase(Locale.ROOT);
            if (!dsnReturn.equals("FULL") && !dsnReturn.equals("HDRS")) {
                throw new IllegalArgumentException("DSN RET must be FULL or HDRS: "
                        + AddressSyntax.printable(dsnReturn));
            }
        }
        if (dsnEnvelopeId != null) {
            for (int i = 0; i < dsnEnvelopeId.length(); i++) {
                char c = dsnEnvelopeId.charAt(i);
                if (c < 0x21 || c > 0x7e) {
                    // RFC 3461 §4.4: ENVID is printable US-ASCII; xtext then escapes '+' and '='
                    throw new IllegalArgumentException("DSN ENVID must be printable ASCII without spaces: "
                            + AddressSyntax.printable(dsnEnvelopeId));
                }
            }
        }
    }

    /** An envelope without DSN options. */
    public static Envelope of(String from, String... recipients) {
        return new Envelope(from, Arrays.stream(recipients).map(Recipient::of).toList(), null, null);
    }

    /** True when any address needs SMTPUTF8 (RFC 6531) to be sent as is. */
    public boolean hasNonAsciiAddress() {
        if (!AddressSyntax.isAscii(from)) {
            return true;
        }
        for (Recipient r : recipients) {
            if (!AddressSyntax.isAscii(r.address()) || !AddressSyntax.isAscii(r.originalRecipient())) {
                return true;
            }
        }
        return false;
    }
}
