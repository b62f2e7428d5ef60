package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Feeds thousands of generated and mutated responses through the reader: whatever the bytes, it must end
 * with a response, {@link ImapProtocolException} or {@link EOFException}, never hang, loop or throw anything else.
 */
class ImapResponseReaderFuzzTest {

    private static final List<String> SEEDS = List.of(
            "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR] hi\r\n",
            "* 12 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE \" 7-Jul-1996 02:44:25 -0700\" RFC822.SIZE 4 BODY[] {4}\r\nabcd)\r\n",
            "* 1 FETCH (BODY[HEADER] {2}\r\nab BODY[]<0> ~{3}\r\nxyz BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 4 1))\r\n",
            "* ESEARCH (TAG \"A2\") UID ALL 1:3,5\r\n",
            "* SEARCH 1 2 3\r\n",
            "A1 OK [COPYUID 1 2:3 4:5] done\r\n",
            "* OK [PERMANENTFLAGS (\\Seen \\*)] x\r\n",
            "+ dGVzdA==\r\n",
            "* 3 EXPUNGE\r\n* 5 EXISTS\r\n",
            "* LIST (\\Noselect) \"/\" \"a \\\"q\\\"\"\r\n",
            "* BYE going\r\n");

    private static final String ALPHABET = "(){}[]<>\" \\\r\n*+~0123456789NILOKUIDFETCHBODY.";

    /**
     * The wall-clock guard only catches a hang: the work itself is bounded by the input (see {@link #feed}), and
     * how fast it runs belongs in the benchmarks, not here. Five minutes, because the same 20,000 inputs took about
     * 1 s of CPU on a quiet machine and more than 20 s of wall time at a load of 40 on two cores.
     */
    @Test
    void randomAndMutatedInputsEndInAParseErrorOrEof() {
        ImapLimits limits = new ImapLimits(256, 1024, 8192, 8, 1000);
        assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            Random random = new Random(20240517L);
            for (int round = 0; round < 20_000; round++) {
                byte[] input = round % 3 == 0 ? randomBytes(random) : mutate(random, SEEDS.get(random.nextInt(SEEDS.size())));
                feed(input, limits, random);
            }
        });
    }

    private static void feed(byte[] input, ImapLimits limits, Random random) {
        ImapResponseReader reader = new ImapResponseReader(new ByteArrayInputStream(input), limits);
        int readLimit = random.nextInt(3);
        try {
            // every response consumes at least one byte, so this ends for any finite input
            for (int i = 0; i <= input.length; i++) {
                reader.read((soFar, item, origin, length, content) -> consume(content, readLimit));
            }
            fail("more responses than input bytes");
        } catch (ImapProtocolException | EOFException expected) {
            // the only acceptable ways out
        } catch (Throwable t) {
            throw new AssertionError("unexpected " + t + " for input " + escape(input), t);
        }
    }

    private static void consume(InputStream content, int mode) throws IOException {
        if (mode == 1) {
            content.read();
        } else if (mode == 2) {
            content.readAllBytes();
        }
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(80)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextBoolean() ? (byte) ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                    : (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] mutate(Random random, String seed) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = seed.getBytes(StandardCharsets.ISO_8859_1);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            out.reset();
            int at = random.nextInt(bytes.length + 1);
            switch (random.nextInt(5)) {
                case 0 -> { // truncate
                    out.write(bytes, 0, at);
                }
                case 1 -> { // replace one byte
                    out.write(bytes, 0, bytes.length);
                    byte[] b = out.toByteArray();
                    if (at < b.length) {
                        b[at] = (byte) ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                    }
                    out.reset();
                    out.write(b, 0, b.length);
                }
                case 2 -> { // insert a token-ish byte
                    out.write(bytes, 0, at);
                    out.write(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
                    out.write(bytes, at, bytes.length - at);
                }
                case 3 -> { // delete a run
                    int len = Math.min(bytes.length - at, random.nextInt(6));
                    out.write(bytes, 0, at);
                    out.write(bytes, at + len, bytes.length - at - len);
                }
                default -> { // huge numbers and deep nesting
                    out.write(bytes, 0, at);
                    String junk = random.nextBoolean() ? "{" + random.nextLong() + "}\r\n" : "(".repeat(random.nextInt(20));
                    out.writeBytes(junk.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(bytes, at, bytes.length - at);
                }
            }
            bytes = out.toByteArray();
        }
        // repeat the mutated response so a reader that survives one sees the next
        ByteArrayOutputStream twice = new ByteArrayOutputStream();
        twice.writeBytes(bytes);
        twice.writeBytes(bytes);
        return twice.toByteArray();
    }

    private static String escape(byte[] input) {
        StringBuilder sb = new StringBuilder();
        for (byte b : input) {
            int c = b & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return sb.toString();
    }
}
