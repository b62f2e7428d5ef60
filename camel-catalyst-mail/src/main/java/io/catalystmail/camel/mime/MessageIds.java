package io.catalystmail.camel.mime;

import java.security.SecureRandom;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The left-hand side of generated Message-IDs (RFC 5322 §3.6.4 asks only that it be unique): 128 random bits as 32
 * lowercase hex digits, the length and look of the random UUIDs used before. A UUID per message drew its bits from
 * the JVM's SecureRandom, one locked read of the OS's random source per message (3 % of a one-thread sender's
 * samples); here {@link ThreadLocalRandom} draws them, and a salt drawn from SecureRandom once per composer keeps two
 * JVMs whose thread-local generators happened to start alike from giving the same ids.
 */
final class MessageIds {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final long salt = new SecureRandom().nextLong();

    /** A new unique left-hand side. */
    String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[32];
        hex(random.nextLong() ^ salt, id, 0);
        hex(random.nextLong(), id, 16);
        return new String(id);
    }

    private static void hex(long bits, char[] into, int at) {
        for (int i = 15; i >= 0; i--) {
            into[at + i] = HEX[(int) bits & 0xf];
            bits >>>= 4;
        }
    }
}
