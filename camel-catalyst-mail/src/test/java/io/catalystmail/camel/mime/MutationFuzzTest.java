package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.catalystmail.camel.testsupport.ExchangeCompletion;
import io.catalystmail.camel.testsupport.SpoolFiles;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Randomly mutated valid messages (fixed seed, so any failure reproduces) must map or be rejected with
 * MessageParseException, quickly, and leave no temp file behind once their exchanges complete.
 */
@ExtendWith(TestMessages.CompleteExchanges.class)
class MutationFuzzTest {

    private static final long SEED = 20251104L;
    private static final int INPUTS = 3_000;

    /** Fragments that steer a parser into its rarer paths. */
    private static final String[] TOKENS = {"--", "\r\n", "\r\n\r\n", "\n", "\r", "=?utf-8?b?", "=?utf-8?q?", "?=", "=",
        "%", "\0", "\u00ff", ";", "\"", "\\", "*", "'", " boundary=x", "--x\r\n", "--x--\r\n", "filename*0*=", "filename*=''",
        "Content-Type: multipart/mixed; boundary=x\r\n", "Content-Type: message/rfc822\r\n",
        "Content-Transfer-Encoding: base64\r\n", "Content-Transfer-Encoding: quoted-printable\r\n", "charset=",
        "Content-Disposition: attachment; filename=\"a.txt\"\r\n", "CamelFoo: x\r\n", "\t", "=\r\n", "=4"};

    private final List<MessageMapper> mappers = List.of(
            new MessageMapper(MimeLimits.defaults(), false, false),
            new MessageMapper(MimeLimits.defaults(), true, true),
            new MessageMapper(new MimeLimits(2_000, 200, 3, 512), true, false),
            new MessageMapper(new MimeLimits(2_000, 200, 0, 1_024), false, true));

    private static List<byte[]> seeds() throws IOException, URISyntaxException {
        Path directory = Path.of(MutationFuzzTest.class.getResource("/messages").toURI());
        List<byte[]> seeds = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".eml")).sorted().toList()) {
                seeds.add(Files.readAllBytes(file));
            }
        }
        assertTrue(seeds.size() >= 10);
        return seeds;
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] data = original;
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = data.length == 0 ? 0 : random.nextInt(data.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length + 64);
            switch (random.nextInt(6)) {
                case 0 -> { // flip bytes
                    data = data.clone();
                    for (int i = 0; i < 1 + random.nextInt(8) && data.length > 0; i++) {
                        data[random.nextInt(data.length)] = (byte) random.nextInt(256);
                    }
                    continue;
                }
                case 1 -> { // delete a range
                    int end = Math.min(data.length, at + random.nextInt(200));
                    out.write(data, 0, at);
                    out.write(data, end, data.length - end);
                }
                case 2 -> { // duplicate a range
                    int end = Math.min(data.length, at + random.nextInt(400));
                    out.write(data, 0, end);
                    out.write(data, at, data.length - at);
                }
                case 3 -> { // insert a token, sometimes many times
                    byte[] token = TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.ISO_8859_1);
                    out.write(data, 0, at);
                    for (int i = random.nextInt(10) == 0 ? 200 : 1; i > 0; i--) {
                        out.write(token, 0, token.length);
                    }
                    out.write(data, at, data.length - at);
                }
                case 4 -> out.write(data, 0, at); // truncate
                default -> { // swap line breaks for bare LF or bare CR
                    String text = new String(data, StandardCharsets.ISO_8859_1);
                    text = random.nextBoolean() ? text.replace("\r\n", "\n") : text.replace("\r\n", "\r");
                    out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            data = out.toByteArray();
        }
        return data;
    }

    @Test
    void mutatedMessagesMapOrFailCleanly() throws Exception {
        List<byte[]> seeds = seeds();
        long filesBefore = SpoolFiles.count();
        int[] outcomes = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            Random random = new Random(SEED);
            for (int i = 0; i < INPUTS; i++) {
                byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
                MessageMapper mapper = mappers.get(i % mappers.size());
                Exchange exchange = TestMessages.exchange();
                try {
                    mapper.map(new ByteArrayInputStream(input), exchange.getIn());
                    exchange.getIn().getBody(String.class);
                    outcomes[0]++;
                } catch (MessageParseException rejected) {
                    assertTrue(rejected.isInputMalformed(), rejected::getMessage);
                    outcomes[1]++;
                } catch (Throwable unexpected) {
                    fail("input " + i + " (seed " + SEED + ") threw " + unexpected, unexpected);
                }
                ExchangeCompletion.complete(exchange);
            }
        });
        assertEquals(INPUTS, outcomes[0] + outcomes[1]);
        assertTrue(outcomes[0] > INPUTS / 2, "most mutations still map: " + outcomes[0] + " mapped, " + outcomes[1] + " rejected");
        assertEquals(filesBefore, SpoolFiles.count(), "every temp file released on completion");
    }
}
