package io.catalystmail.camel.mime;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * New multipart boundaries (RFC 2046 §5.1.1), of the shape Mime4j's {@code MimeUtil.createUniqueBoundary} gave them:
 * {@code -=Part.} and hex digits separated by dots. "=P" cannot occur in a quoted-printable line nor '-' in a base64
 * one (RFC 2045 §6.7 suggests such boundaries), and 128 random bits keep a 7bit text from holding it by chance.
 * Mime4j's draws from one {@link java.util.Random} that every sending thread shares, and building its string was the
 * second largest compilation the JIT compiler still did while a sending benchmark was measured (19 KB of code,
 * inlined into the multipart step's 40 KB). Here a counter and {@link ThreadLocalRandom} make a boundary of 49
 * characters (the RFC allows 70).
 */
final class MultipartBoundaries {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final String PREFIX = "-=Part.";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private MultipartBoundaries() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int counter = COUNTER.getAndIncrement();
        char[] boundary = new char[PREFIX.length() + 8 + 1 + 16 + 1 + 16];
        PREFIX.getChars(0, PREFIX.length(), boundary, 0);
        int at = PREFIX.length();
        at = hex(counter & 0xffffffffL, 8, boundary, at);
        boundary[at++] = '.';
        at = hex(random.nextLong(), 16, boundary, at);
        boundary[at++] = '.';
        hex(random.nextLong(), 16, boundary, at);
        return new String(boundary);
    }

    /** {@code digits} lowercase hex digits of {@code bits}, most significant first; returns the index after them. */
    private static int hex(long bits, int digits, char[] into, int at) {
        for (int i = digits - 1; i >= 0; i--) {
            into[at + i] = HEX[(int) bits & 0xf];
            bits >>>= 4;
        }
        return at + digits;
    }
}
