package io.catalystmail.camel.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.james.mime4j.dom.address.Mailbox;
import org.junit.jupiter.api.Test;

class MailAddressesTest {

    @Test
    void anUnquotedCommaInADisplayNameIsNamedInTheErrorWithoutTheText() {
        MailCompositionException refused = assertThrows(MailCompositionException.class,
                () -> MailAddresses.parse("Müller, Jörg <joerg@example.org>", "To recipients"));
        String message = refused.getMessage();
        assertTrue(message.startsWith("Not a valid address list in the To recipients"), message);
        assertTrue(message.contains("often a display name that holds a comma or a semicolon: it goes in double quotes"),
                message);
        assertFalse(message.contains("joerg"), "the error names where, not the address: " + message);
    }

    @Test
    void theSameNameInDoubleQuotesIsOneMailbox() {
        MailAddresses parsed = MailAddresses.parse("\"Müller, Jörg\" <joerg@example.org>", "To recipients");
        Mailbox first = parsed.first();
        assertEquals("Müller, Jörg", first.getName());
        assertEquals("joerg@example.org", first.getAddress());
    }

    @Test
    void aOneCharacterNonAsciiWordIsQuotedInNamesOnlyAlsoInGroupLists() {
        assertEquals("\"é\" <a@example.test>, b@example.test", MailAddresses.parserInput("é <a@example.test>; b@example.test"));
        assertEquals("Team: \"é\" <a@example.test>, b@example.test;",
                MailAddresses.parserInput("Team: é <a@example.test>, b@example.test;"));
        // part of an address, in angle brackets, quoted or in a comment: left for the parser as it is
        assertEquals("é@example.test, <é@example.test>, \"é\" (é) <x@example.test>",
                MailAddresses.parserInput("é@example.test, <é@example.test>, \"é\" (é) <x@example.test>"));
        Mailbox member = MailAddresses.parse("Team: é <a@example.test>, b@example.test;", "To recipients").first();
        assertEquals("é", member.getName());
    }
}
