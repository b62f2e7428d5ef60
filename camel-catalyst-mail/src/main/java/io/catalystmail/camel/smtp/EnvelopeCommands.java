package io.catalystmail.camel.smtp;

import java.nio.charset.StandardCharsets;

/** Builds MAIL FROM and RCPT TO lines with the ESMTP parameters the server's capabilities allow. */
final class EnvelopeCommands {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private EnvelopeCommands() {
    }

    /**
     * MAIL FROM with SIZE= (RFC 1870), BODY=8BITMIME (RFC 6152), SMTPUTF8 (RFC 6531), RET= and ENVID= (RFC 3461),
     * each only when offered. DSN options the server does not offer are dropped, as the option documentation says.
     */
    static String mailFrom(Envelope envelope, MessageContent content, SmtpCapabilities caps, boolean smtpUtf8) {
        StringBuilder sb = new StringBuilder(64).append("MAIL FROM:<").append(envelope.from()).append('>');
        if (caps.sizeOffered() && content.size() >= 0) {
            sb.append(" SIZE=").append(content.size());
        }
        if (caps.eightBitMime() && content.needs8BitMime()) {
            sb.append(" BODY=8BITMIME");
        }
        if (smtpUtf8) {
            sb.append(" SMTPUTF8");
        }
        if (caps.dsn()) {
            if (envelope.dsnReturn() != null) {
                sb.append(" RET=").append(envelope.dsnReturn());
            }
            if (envelope.dsnEnvelopeId() != null) {
                sb.append(" ENVID=").append(xtext(envelope.dsnEnvelopeId()));
            }
        }
        return sb.toString();
    }

    /** RCPT TO with NOTIFY= and ORCPT= (RFC 3461 §4.1, §4.2) when the server offers DSN. */
    static String rcptTo(Recipient recipient, SmtpCapabilities caps) {
        StringBuilder sb = new StringBuilder(48).append("RCPT TO:<").append(recipient.address()).append('>');
        if (caps.dsn()) {
            if (recipient.dsnNotify() != null) {
                sb.append(" NOTIFY=").append(recipient.dsnNotify());
            }
            if (recipient.originalRecipient() != null) {
                sb.append(" ORCPT=").append(originalRecipient(recipient.originalRecipient()));
            }
        }
        return sb.toString();
    }

    /** {@code rfc822;} and xtext for an ASCII address; {@code utf-8;} and RFC 6533 unitext for any other. */
    static String originalRecipient(String address) {
        return AddressSyntax.isAscii(address) ? "rfc822;" + xtext(address) : "utf-8;" + unitext(address);
    }

    /** RFC 3461 §4: octets outside "!" to "~", and "+" and "=", become {@code +HH}. */
    static String xtext(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x21 || c > 0x7e || c == '+' || c == '=') {
                sb.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    /** RFC 6533 §3 utf-8-addr-unitext: non-ASCII stays as UTF-8; controls, space, "+", "=" and "\" become \x{HH}. */
    static String unitext(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 8);
        value.codePoints().forEach(cp -> {
            if (cp < 0x21 || cp == 0x7f || cp == '+' || cp == '=' || cp == '\\') {
                sb.append("\\x{").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)).append('}');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }
}
