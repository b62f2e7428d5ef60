package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.catalystmail.camel.CatalystMailConstants;
import jakarta.activation.DataHandler;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential corpus (src/test/resources/messages/differential, see its README): every message is mapped and
 * must give what expected.txt says the RFCs make of it: the decoded header fields named there, the body, the charset
 * fallback, the alternative body's start and exactly the attachments listed (name, media type, size, SHA-256). The
 * expectations were checked against the RFC each one cites, after comparing our reading with camel-mail's (Jakarta
 * Mail) on the same messages served by Dovecot.
 */
@ExtendWith(TestMessages.CompleteExchanges.class)
class DifferentialCorpusTest {

    private static final String DIRECTORY = "differential/";
    private static final int SHA_PREFIX = 12;

    private final MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false);

    static Stream<String> corpus() {
        return Expectations.load().byName.keySet().stream();
    }

    @Test
    void everyMessageHasAnExpectationAndEveryExpectationAMessage() throws IOException, URISyntaxException {
        Path directory = Path.of(DifferentialCorpusTest.class.getResource("/messages/" + DIRECTORY).toURI());
        TreeSet<String> messages = new TreeSet<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".eml"))
                    .forEach(n -> messages.add(n.substring(0, n.length() - ".eml".length())));
        }
        assertTrue(messages.size() >= 60, "corpus present: " + messages.size());
        assertEquals(messages, new TreeSet<>(Expectations.load().byName.keySet()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void mapsAsTheRfcsSay(String name) throws Exception {
        Message message = TestMessages.map(mapper, TestMessages.bytes(DIRECTORY + name + ".eml"));
        Map<String, String> expected = Expectations.load().byName.get(name);
        List<String> attachments = new ArrayList<>();
        for (Map.Entry<String, String> entry : expected.entrySet()) {
            String key = entry.getKey();
            if (key.startsWith("attachment")) {
                attachments.add(entry.getValue());
            } else {
                assertEquals(entry.getValue(), actual(message, key), name + ": " + key);
            }
        }
        assertEquals(attachments, attachments(message), name + ": attachments");
    }

    private static String actual(Message message, String key) {
        return switch (key) {
            case "body" -> escape(message.getBody(String.class));
            case "fallback" -> String.valueOf(message.getHeader(CatalystMailConstants.CHARSET_FALLBACK));
            case "alternative" -> escape(message.getHeader(CatalystMailConstants.ALTERNATIVE_BODY, String.class));
            default -> String.valueOf(message.getHeader(key));
        };
    }

    /** "name type=media/type size=N sha256=prefix" for each attachment, in name order. */
    private static List<String> attachments(Message message) throws IOException, NoSuchAlgorithmException {
        AttachmentMessage attachmentMessage = message.getExchange().getMessage(AttachmentMessage.class);
        List<String> described = new ArrayList<>();
        if (!attachmentMessage.hasAttachments()) {
            return described;
        }
        for (String name : new TreeSet<>(attachmentMessage.getAttachmentNames())) {
            DataHandler handler = attachmentMessage.getAttachment(name);
            byte[] bytes;
            try (InputStream in = handler.getInputStream()) {
                bytes = in.readAllBytes();
            }
            String type = handler.getContentType();
            int semicolon = type.indexOf(';');
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            described.add(name + " type=" + (semicolon < 0 ? type : type.substring(0, semicolon)).trim()
                          + " size=" + bytes.length + " sha256=" + sha.substring(0, SHA_PREFIX));
        }
        return described;
    }

    /** Line breaks shown as \r and \n, so a body fits on one line of expected.txt. */
    private static String escape(String text) {
        return text == null ? "null" : text.replace("\r", "\\r").replace("\n", "\\n");
    }

    /**
     * expected.txt: "== name" starts a message, "key: value" lines follow (a header field's name, body, fallback,
     * alternative, attachment), lines starting with '#' say why, citing the RFC.
     */
    private record Expectations(Map<String, Map<String, String>> byName) {

        private static Expectations loaded;

        static synchronized Expectations load() {
            if (loaded == null) {
                loaded = parse(new String(TestMessages.bytes(DIRECTORY + "expected.txt"), StandardCharsets.UTF_8));
            }
            return loaded;
        }

        private static Expectations parse(String text) {
            Map<String, Map<String, String>> byName = new LinkedHashMap<>();
            Map<String, String> current = null;
            for (String line : text.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("== ")) {
                    current = new LinkedHashMap<>();
                    byName.put(line.substring(3).trim(), current);
                    continue;
                }
                int colon = line.indexOf(": ");
                String key = colon < 0 ? line.substring(0, line.length() - 1) : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 2);
                if (key.equals("attachment")) {
                    key = "attachment" + current.size(); // several per message, order kept
                }
                current.put(key, value);
            }
            return new Expectations(byName);
        }
    }
}
