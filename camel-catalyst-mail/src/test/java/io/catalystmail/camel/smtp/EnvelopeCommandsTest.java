package io.catalystmail.camel.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

/** ESMTP parameter encodings and EHLO keyword parsing. */
class EnvelopeCommandsTest {

    @Test
    void xtextEscapesPlusEqualsAndNonPrintables() {
        assertEquals("a+2Bb+3Dc+20d", EnvelopeCommands.xtext("a+b=c d"));
        assertEquals("rfc822;user+2Btag@example.com", EnvelopeCommands.originalRecipient("user+tag@example.com"));
    }

    @Test
    void internationalOriginalRecipientUsesUtf8AddrUnitext() {
        assertEquals("utf-8;jürgen\\x{2B}x@example.com", EnvelopeCommands.originalRecipient("jürgen+x@example.com"));
    }

    @Test
    void ehloKeywordsAreReadWhateverTheirCaseAndForm() {
        SmtpCapabilities caps = SmtpCapabilities.fromEhloReply(new SmtpReply(250, null,
                "mx.example.com greets you\npipelining\nSIZE\n8BITMIME\nAUTH=LOGIN\nAUTH plain cram-md5\n"
                        + "STARTTLS\nDSN\nSMTPUTF8\nENHANCEDSTATUSCODES"));
        assertTrue(caps.pipelining());
        assertTrue(caps.sizeOffered());
        assertEquals(0, caps.maxSize());
        assertTrue(caps.eightBitMime() && caps.startTls() && caps.dsn() && caps.smtpUtf8()
                && caps.enhancedStatusCodes());
        assertEquals(Set.of("LOGIN", "PLAIN", "CRAM-MD5"), caps.authMechanisms());
        // the first line is the greeting, even when it happens to look like a keyword
        assertFalse(SmtpCapabilities.fromEhloReply(new SmtpReply(250, null, "PIPELINING")).pipelining());
        assertEquals(35882577, SmtpCapabilities.fromEhloReply(new SmtpReply(250, null, "x\nSIZE 35882577")).maxSize());
    }

    @Test
    void keywordsNameEachMechanismOnceInOneOrderWhateverTheServersOrder() {
        String first = SmtpCapabilities.fromEhloReply(new SmtpReply(250, null,
                "mx.example.com\nPIPELINING\nAUTH PLAIN LOGIN CRAM-MD5\nAUTH=LOGIN PLAIN\nSIZE 1000")).keywords();
        String second = SmtpCapabilities.fromEhloReply(new SmtpReply(250, null,
                "mx.example.com\nSIZE 1000\nAUTH=login\nAUTH cram-md5 login plain\nPIPELINING")).keywords();
        assertEquals("PIPELINING SIZE 1000 AUTH CRAM-MD5 LOGIN PLAIN", first);
        assertEquals(first, second);
    }
}
