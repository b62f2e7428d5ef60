package io.catalystmail.camel.smtp;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The ESMTP extensions a server announced in its EHLO reply (RFC 5321 §4.1.1.1), reduced to what submission uses.
 *
 * @param pipelining          PIPELINING (RFC 2920)
 * @param maxSize             the SIZE limit in octets (RFC 1870); 0 when not offered or offered without a limit
 * @param sizeOffered         SIZE was announced, so SIZE= may be sent
 * @param eightBitMime        8BITMIME (RFC 6152)
 * @param smtpUtf8            SMTPUTF8 (RFC 6531)
 * @param dsn                 DSN (RFC 3461)
 * @param enhancedStatusCodes ENHANCEDSTATUSCODES (RFC 2034)
 * @param startTls            STARTTLS (RFC 3207)
 * @param authMechanisms      SASL mechanisms from AUTH (RFC 4954), upper case, unordered; empty when AUTH is not
 *                            offered
 */
public record SmtpCapabilities(boolean pipelining, long maxSize, boolean sizeOffered, boolean eightBitMime,
        boolean smtpUtf8, boolean dsn, boolean enhancedStatusCodes, boolean startTls, Set<String> authMechanisms) {

    /** What a server that only answered HELO offers: nothing. */
    public static final SmtpCapabilities NONE = new SmtpCapabilities(false, 0, false, false, false, false, false, false,
            Set.of());

    /**
     * Keeps an unordered copy: no sorted set per EHLO, whose TreeMap.put, compiled by the JIT for the keys of another
     * caller's sorted set (Integers, Longs), is thrown away when a session puts Strings in; only
     * {@link #keywords()}, a text, sorts.
     */
    public SmtpCapabilities {
        authMechanisms = Set.copyOf(authMechanisms);
    }

    /** Reads the keyword lines of an EHLO reply; the first line is the server's greeting, not a keyword. */
    public static SmtpCapabilities fromEhloReply(SmtpReply ehlo) {
        boolean pipelining = false;
        long maxSize = 0;
        boolean sizeOffered = false;
        boolean eightBitMime = false;
        boolean smtpUtf8 = false;
        boolean dsn = false;
        boolean enhanced = false;
        boolean startTls = false;
        Set<String> auth = new HashSet<>();
        String[] lines = ehlo.lines();
        for (int i = 1; i < lines.length; i++) {
            String[] words = lines[i].trim().split("[ =]+");
            String keyword = words[0].toUpperCase(Locale.ROOT);
            switch (keyword) {
                case "PIPELINING" -> pipelining = true;
                case "SIZE" -> {
                    sizeOffered = true;
                    maxSize = words.length > 1 ? parseSize(words[1]) : 0;
                }
                case "8BITMIME" -> eightBitMime = true;
                case "SMTPUTF8" -> smtpUtf8 = true;
                case "DSN" -> dsn = true;
                case "ENHANCEDSTATUSCODES" -> enhanced = true;
                case "STARTTLS" -> startTls = true;
                // "AUTH=LOGIN PLAIN" is the pre-RFC 4954 form some servers still send next to "AUTH LOGIN PLAIN"
                case "AUTH" -> {
                    for (int w = 1; w < words.length; w++) {
                        auth.add(words[w].toUpperCase(Locale.ROOT));
                    }
                }
                default -> {
                }
            }
        }
        return new SmtpCapabilities(pipelining, maxSize, sizeOffered, eightBitMime, smtpUtf8, dsn, enhanced, startTls,
                auth);
    }

    private static long parseSize(String value) {
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * The extensions as EHLO keywords, e.g. {@code PIPELINING SIZE 35882577 STARTTLS AUTH LOGIN PLAIN}: the mechanisms
     * sorted, so the text is the same for every session of a server.
     */
    public String keywords() {
        StringBuilder out = new StringBuilder();
        if (pipelining) {
            out.append(" PIPELINING");
        }
        if (sizeOffered) {
            out.append(" SIZE").append(maxSize > 0 ? " " + maxSize : "");
        }
        if (eightBitMime) {
            out.append(" 8BITMIME");
        }
        if (smtpUtf8) {
            out.append(" SMTPUTF8");
        }
        if (dsn) {
            out.append(" DSN");
        }
        if (enhancedStatusCodes) {
            out.append(" ENHANCEDSTATUSCODES");
        }
        if (startTls) {
            out.append(" STARTTLS");
        }
        if (!authMechanisms.isEmpty()) {
            String[] names = authMechanisms.toArray(new String[0]);
            Arrays.sort(names);
            out.append(" AUTH ").append(String.join(" ", names));
        }
        return out.toString().trim();
    }
}
