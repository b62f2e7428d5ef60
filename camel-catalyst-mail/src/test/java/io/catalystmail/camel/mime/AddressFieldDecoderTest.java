package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.apache.james.mime4j.dom.address.Mailbox;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AddressFieldDecoderTest {

    @Test
    void aDecodedDisplayNameWithASpecialIsQuoted() {
        assertEquals("\"Müller, Jörg\" <m@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <m@example.test>"));
        assertEquals("\"J. Smith\" <j@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?J=2E_Smith?= <j@example.test>"), "'.' is a special too");
        assertEquals("\"a\\\"b\" <ab@example.test>, \"x<y>\" <xy@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?a=22b?= <ab@example.test>, =?UTF-8?Q?x=3Cy=3E?= <xy@example.test>"));
        assertEquals("\"back\\\\slash\" <b@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?back=5Cslash?= <b@example.test>"));
        assertEquals("\"ab, c\" <x@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?a?= =?UTF-8?Q?b=2C_c?= <x@example.test>"), "adjacent words");
    }

    @Test
    void theQuotedValueParsesAsTheMailboxThatWasSent() {
        String decoded = AddressFieldDecoder.decode(
                "=?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <m@example.test>, =?UTF-8?B?YSJiXGM=?= <ab@example.test>");
        List<String> envelope = MailAddresses.parse(decoded, "test").forEnvelope();
        assertEquals(List.of("m@example.test", "ab@example.test"), envelope);
        Mailbox first = MailAddresses.parse(decoded, "test").first();
        assertEquals("Müller, Jörg", first.getName());
    }

    @Test
    void aNameThatNeedsNoQuotesOrIsQuotedAlreadyIsDecodedAsText() {
        assertEquals("Jörg Weiß <j@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?J=C3=B6rg_Wei=C3=9F?= <j@example.test>"));
        assertEquals("\"Müller, Jörg\" <m@example.test>",
                AddressFieldDecoder.decode("\"=?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?=\" <m@example.test>"));
        assertEquals("\"Smith, John\" <s@example.test>, Jörg <j@example.test>",
                AddressFieldDecoder.decode("\"Smith, John\" <s@example.test>, =?UTF-8?Q?J=C3=B6rg?= <j@example.test>"));
        assertEquals("=?x-unknown?Q?a.b?= <x@example.test>",
                AddressFieldDecoder.decode("=?x-unknown?Q?a.b?= <x@example.test>"), "nothing decoded, nothing quoted");
    }

    @Test
    void aQuoteOrBackslashDecodedInsideQuotesIsEscaped() {
        assertEquals("\"a\\\"b\" <x@example.test>", AddressFieldDecoder.decode("\"=?UTF-8?Q?a=22b?=\" <x@example.test>"));
        assertEquals("\"x a\\\\b\" <x@example.test>",
                AddressFieldDecoder.decode("\"x =?UTF-8?Q?a=5Cb?=\" <x@example.test>"));
        assertEquals("\"Zoë\" <z@example.test>", AddressFieldDecoder.decode("\"=?UTF-8?Q?Zo=C3=AB?=\" <z@example.test>"));
    }

    @Test
    void aParenthesisOrBackslashDecodedInACommentIsEscaped() {
        String decoded = AddressFieldDecoder.decode("john@example.test (=?UTF-8?Q?a=29b?= \\( (nested))");
        assertEquals("john@example.test (a\\)b \\( \\(nested\\))", decoded);
        assertEquals(List.of("john@example.test"), MailAddresses.parse(decoded, "test").forEnvelope());
        assertEquals("x@example.test (a) (b)", AddressFieldDecoder.decode("x@example.test (=?UTF-8?Q?a?=) (b)"));
    }

    @Test
    void quotedWordsAndEncodedWordsOfOneNameBecomeOneQuotedString() {
        assertEquals("\"Dr. Müller\" <m@example.test>",
                AddressFieldDecoder.decode("\"Dr.\" =?UTF-8?Q?M=C3=BCller?= <m@example.test>"));
    }

    @Test
    void groupNamesAndNamesBeforeACommentAreDisplayNamesToo() {
        assertEquals("\"Team, A\": a@example.test, b@example.test;",
                AddressFieldDecoder.decode("=?UTF-8?Q?Team=2C_A?=: a@example.test, b@example.test;"));
        assertEquals("\"a,b\" (note) <x@example.test>",
                AddressFieldDecoder.decode("=?UTF-8?Q?a=2Cb?= (note) <x@example.test>"));
        assertEquals("\"a,\" (note) \"b.\" <x@example.test>, c (d), e (f)",
                AddressFieldDecoder.decode("=?UTF-8?Q?a=2C?= (note) =?UTF-8?Q?b=2E?= <x@example.test>, c (d), e (f)"));
    }

    @Test
    void commentsAndAddressesAreDecodedAsText() {
        assertEquals("john@example.test (John Döe, Jr.)",
                AddressFieldDecoder.decode("john@example.test (John =?UTF-8?Q?D=C3=B6e=2C_Jr=2E?=)"));
        assertEquals("=?UTF-8?Q?a=2C_b?=", AddressFieldDecoder.decode("=?UTF-8?Q?a=2C_b?="),
                "no mailbox to name, and decoded it would be two list items: kept as sent");
    }

    @Test
    void onlyAddressFieldsAreDecodedAsStructure() {
        // RFC 5322 sections 3.6.2, 3.6.3, 3.6.6, 4.5.6; RFC 8098 section 2.1; RFC 9057 section 3
        for (String name : new String[] {"From", "TO", "cc", "Bcc", "Reply-To", "Sender", "Resent-From",
                "Resent-Sender", "Resent-To", "Resent-Cc", "Resent-Bcc", "Resent-Reply-To",
                "Disposition-Notification-To", "AUTHOR"}) {
            assertTrue(AddressFieldDecoder.isAddressField(name), name);
            assertEquals("\"a, b\" <x@example.test>", field(name, "=?UTF-8?Q?a=2C_b?= <x@example.test>").decodedValue());
        }
        for (String name : new String[] {"Subject", "Comments", "Resent-Date", "X-From", "Return-Path",
                "Mail-Followup-To"}) {
            assertFalse(AddressFieldDecoder.isAddressField(name), name);
            assertEquals("a, b <x@example.test>", field(name, "=?UTF-8?Q?a=2C_b?= <x@example.test>").decodedValue());
        }
    }

    @Test
    void aDecodedLineBreakStaysOffTheHeaderLine() {
        assertEquals("\"a, b  c\" <x@example.test>",
                field("From", "=?UTF-8?Q?a=2C_b=0D=0Ac?= <x@example.test>").decodedValue());
    }

    @Test
    void hostileValuesStayLinear() {
        String comments = "=?UTF-8?Q?a?= " + "(c)".repeat(300_000) + " <x@example.test>";
        String openComment = ("=?UTF-8?Q?a?= " + "(").repeat(100_000);
        String quotes = "=?UTF-8?Q?a=2C?= \"".repeat(100_000) + " <x@example.test>";
        String phrases = "=?UTF-8?Q?a=2C?= (x) ".repeat(100_000) + "<x@example.test>";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertTrue(AddressFieldDecoder.decode(comments).startsWith("a (c)(c)"));
            assertEquals("a (".repeat(100_000), AddressFieldDecoder.decode(openComment), "comment never closed");
            assertTrue(AddressFieldDecoder.decode(quotes).startsWith("\"a, a, a, "));
            assertTrue(AddressFieldDecoder.decode(phrases).startsWith("\"a,\" (x) \"a,\" (x)"), "one phrase, words quoted");
        });
    }

    @Test
    void anEncodedWordInAnAddressIsNoEncodedWord() {
        // RFC 2047 section 5(3); before, each of these was decoded into two or three addresses
        String[] asSent = {"Name <=?UTF-8?Q?a=2C_evil=40x.test?=@example.test>",
            "=?UTF-8?Q?a=2C_evil=40x.test=2C_b?=@example.test", "<=?UTF-8?Q?a=3E=2C_evil=40x.test_=3C?=@example.test>",
            "\"=?UTF-8?Q?a=2C_b?=\"@example.test (c)",
            // a comment between the local part and its '@' or after the '@' (RFC 5322 3.4.1, CFWS in a dot-atom)
            "=?UTF-8?Q?victim=40evil.test=2C?=(c)@example.test", "a@(c)=?UTF-8?Q?x=2C_victim=40evil.test?=",
            "=?UTF-8?Q?v=40evil.test=2C?= (c) @example.test, b@example.test",
            // no address at all, but decoded it would bring one (or a list)
            "=?UTF-8?Q?victim=40evil.test=2C_x?=", "a@b, =?UTF-8?Q?a=3Cv=40evil.test=3E?="};
        for (String value : asSent) {
            assertEquals(value, AddressFieldDecoder.decode(value));
        }
        assertEquals("(Jörg) Jörg <a@example.test>, =?UTF-8?Q?a=2C?=(c)@example.test",
                AddressFieldDecoder.decode("(=?UTF-8?Q?J=C3=B6rg?=) =?UTF-8?Q?J=C3=B6rg?= <a@example.test>, "
                        + "=?UTF-8?Q?a=2C?=(c)@example.test"), "each list item decides for itself");
        assertEquals("Jörg, a@b", AddressFieldDecoder.decode("=?UTF-8?Q?J=C3=B6rg?=, a@b"),
                "a name alone decodes to harmless text");
        assertEquals("Jörg <=?UTF-8?Q?a?=@example.test>, x@example.test (Jörg)",
                AddressFieldDecoder.decode("=?UTF-8?Q?J=C3=B6rg?= <=?UTF-8?Q?a?=@example.test>, "
                        + "x@example.test (=?UTF-8?Q?J=C3=B6rg?=)"), "names and comments are still decoded");
    }

    private static RawHeaderField field(String name, String value) {
        byte[] raw = (name + ": " + value).getBytes(StandardCharsets.UTF_8);
        return new RawHeaderField(name, raw, name.length());
    }
}
