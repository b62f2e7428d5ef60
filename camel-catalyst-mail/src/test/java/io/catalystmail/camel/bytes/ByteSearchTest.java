package io.catalystmail.camel.bytes;

import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link ByteSearch#indexOf} against a search octet by octet: the word test must neither miss a target nor report a
 * neighbour of it, at every alignment and around the 32-octet and 8-octet steps' ends.
 */
class ByteSearchTest {

    /** Octets that break a careless zero-octet test: the target's neighbours, its high-bit twin, 0x00 and 0xff. */
    private static byte[] trickyAlphabet(char target) {
        return new byte[] {(byte) target, (byte) (target - 1), (byte) (target + 1), (byte) (target | 0x80), 0, -1,
                (byte) 0x80, 'A'};
    }

    private static int naive(byte[] bytes, int from, int to, char target) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void aSingleTargetIsFoundAtEveryPositionFromEveryStart() {
        for (char target : new char[] {'\n', '-'}) {
            for (int length = 0; length <= 80; length++) {
                for (int at = 0; at < length; at++) {
                    byte[] bytes = new byte[length];
                    java.util.Arrays.fill(bytes, (byte) (target + 1));
                    bytes[at] = (byte) target;
                    for (int from = 0; from <= length; from++) {
                        for (int to = from; to <= length; to += 7) {
                            int expected = at >= from && at < to ? at : -1;
                            assertEquals(expected, ByteSearch.indexOf(bytes, from, to, target),
                                    "target at " + at + " in [" + from + ", " + to + ")");
                        }
                    }
                }
            }
        }
    }

    @Test
    void theFirstOfSeveralTargetsAmongTrickyNeighboursIsFound() {
        Random random = new Random(20261201);
        for (char target : new char[] {'\n', '-', '\r'}) {
            byte[] alphabet = trickyAlphabet(target);
            for (int round = 0; round < 20_000; round++) {
                byte[] bytes = new byte[random.nextInt(100)];
                // targets rare or frequent, so that long runs without one go through the 32-octet step too
                int spread = 1 + random.nextInt(64);
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = random.nextInt(spread) == 0 ? (byte) target
                            : alphabet[1 + random.nextInt(alphabet.length - 1)];
                }
                int from = random.nextInt(bytes.length + 1);
                int to = from + random.nextInt(bytes.length - from + 1);
                assertEquals(naive(bytes, from, to, target), ByteSearch.indexOf(bytes, from, to, target),
                        "round " + round);
            }
        }
    }
}
