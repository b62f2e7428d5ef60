package io.catalystmail.camel.smtp;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One RCPT TO with its DSN (RFC 3461) options.
 *
 * @param address           the forward-path address, without angle brackets
 * @param dsnNotify         null, {@code NEVER}, or a comma list of {@code SUCCESS}, {@code FAILURE}, {@code DELAY};
 *                          sent only when the server offers DSN
 * @param originalRecipient the ORCPT address (RFC 3461 §4.2), or null
 */
public record Recipient(String address, String dsnNotify, String originalRecipient) {

    private static final Pattern NOTIFY = Pattern.compile("NEVER|(SUCCESS|FAILURE|DELAY)(,(SUCCESS|FAILURE|DELAY))*");

    /** Throws IllegalArgumentException for an address that could alter the command, or a malformed NOTIFY. */
    public Recipient {
        AddressSyntax.check("recipient", address);
        if (address.isEmpty()) {
            throw new IllegalArgumentException("recipient address is empty");
        }
        if (originalRecipient != null) {
            AddressSyntax.check("original recipient (ORCPT)", originalRecipient);
        }
        if (dsnNotify != null) {
            dsnNotify = dsnNotify.replace(" ", "").toUpperCase(Locale.ROOT);
            if (!NOTIFY.matcher(dsnNotify).matches()) {
                throw new IllegalArgumentException("DSN NOTIFY must be NEVER or a comma list of SUCCESS, FAILURE,"
                        + " DELAY: " + AddressSyntax.printable(dsnNotify));
            }
        }
    }

    /** A recipient without DSN options. */
    public static Recipient of(String address) {
        return new Recipient(address, null, null);
    }
}
