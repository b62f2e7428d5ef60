package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import io.catalystmail.camel.CatalystMailConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two checks every outgoing message passes through, written as loops over the characters: a given Message-ID
 * is one {@code <left@right>} or is replaced, and no folded header line exceeds 998 octets (RFC 5322 §2.1.1). Each
 * is compared with the regular expression or split it replaced, on chosen and on random input.
 */
class OutgoingFieldChecksTest {

    /** What MessageComposer matched a given Message-ID against before. */
    private static final Pattern MESSAGE_ID = Pattern.compile("<[\\x21-\\x3b\\x3d\\x3f-\\x7e]+@[\\x21-\\x3b\\x3d\\x3f-\\x7e]+>");

    @ParameterizedTest
    @ValueSource(strings = { "<a@b>", "<abc.def@host.example>", "<@b>", "<a@>", "<@>", "<a@@b>", "<@@>", "<@a@>", "a@b",
            "<a@b", "a@b>", "<a b@c>", "<a@b>\r\nBcc: x@evil.example", "<a@b>\n", "<a\r@b>", "<a@b><c@d>", "<a<@b>",
            "<ü@b>", "<a@b\u0000>", "<>", "", "<a@b@c>", "<\u007f@b>" })
    void aGivenMessageIdIsAcceptedExactlyWhenTheFormerPatternMatchedIt(String id) {
        assertEquals(MESSAGE_ID.matcher(id).matches(), MessageComposer.isSingleMessageId(id), id);
    }

    @Test
    void randomMessageIdsAgreeWithTheFormerPattern() {
        SplittableRandom random = new SplittableRandom(19);
        String alphabet = "<>@ab.\r\n \u0000\u007f~!ü";
        for (int i = 0; i < 200_000; i++) {
            StringBuilder id = new StringBuilder();
            for (int n = random.nextInt(9); n > 0; n--) {
                id.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = id.toString();
            assertEquals(MESSAGE_ID.matcher(text).matches(), MessageComposer.isSingleMessageId(text), text);
        }
    }

    @Test
    void aGivenMessageIdWithALineBreakIsReplacedAndAddsNoHeader() throws Exception {
        CatalystMailConfiguration config = new CatalystMailConfiguration();
        config.setFrom("sender@example.com");
        config.setTo("rcpt@example.com");
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setBody("Text.\r\n");
            MessageComposer composer = new MessageComposer(config, "test.example");

            OutgoingMail kept = composer.compose(exchange.getIn(), "<kept.1@origin.example>");
            OutgoingMail replaced = composer.compose(exchange.getIn(), "<a@b>\r\nBcc: hidden@evil.example");

            assertEquals("<kept.1@origin.example>", kept.messageId());
            assertTrue(replaced.messageId().endsWith("@test.example>"), replaced.messageId());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            replaced.content().writeTo(out);
            String written = out.toString(StandardCharsets.UTF_8);
            assertFalse(written.contains("evil.example"), written);
            assertTrue(written.contains("\r\nMessage-ID: " + replaced.messageId() + "\r\n"), written);
        }
    }

    /** What MimeFields checked folded headers with before: split at CRLF, each line's UTF-8 octets counted. */
    private static boolean formerlyTooLong(String folded) {
        for (String line : folded.split("\r\n")) {
            if (line.getBytes(StandardCharsets.UTF_8).length > TransferEncoding.MAX_LINE_OCTETS) {
                return true;
            }
        }
        return false;
    }

    private static boolean tooLong(String folded) {
        try {
            MimeFields.requireShortLines(folded, "Test");
            return false;
        } catch (MailCompositionException e) {
            assertTrue(e.getMessage().contains("The Test header has a part too long to fold within 998 octets"),
                    e.getMessage());
            return true;
        }
    }

    @Test
    void linesOf998OctetsPassAnd999AreRefusedWhateverTheirCharactersWidth() {
        for (String unit : new String[] { "a", "é", "€", "\uD83D\uDE00" }) {
            int width = unit.getBytes(StandardCharsets.UTF_8).length;
            String fits = "x".repeat(998 % width) + unit.repeat(998 / width);
            String over = fits + "x";
            assertEquals(998, fits.getBytes(StandardCharsets.UTF_8).length);
            assertFalse(tooLong("Subject: a\r\n" + fits + "\r\n b"), unit);
            assertTrue(tooLong("Subject: a\r\n" + over + "\r\n b"), unit);
            assertTrue(tooLong(over), unit);
            assertFalse(tooLong(fits + "\r\n" + fits), "CRLF starts a new line: " + unit);
            assertTrue(tooLong(fits.substring(1) + "\r" + fits), "a CR alone ends no line: " + unit);
        }
    }

    @Test
    void randomFoldedHeadersAgreeWithTheFormerSplit() {
        SplittableRandom random = new SplittableRandom(2045);
        String[] pieces = { "a", " ", "\r\n ", "\r", "\n", "é", "€", "\uD83D\uDE00", "word ", "x".repeat(300) };
        for (int i = 0; i < 20_000; i++) {
            StringBuilder folded = new StringBuilder("X-Test: ");
            for (int n = random.nextInt(40); n > 0; n--) {
                folded.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = folded.toString();
            assertEquals(formerlyTooLong(text), tooLong(text), text);
        }
    }

    @Test
    void aHeaderWhoseWordCannotBeFoldedIsRefused() {
        assertThrows(MailCompositionException.class,
                () -> MimeFields.field("References", "<" + "r".repeat(1000) + "@example.com>"));
    }
}
