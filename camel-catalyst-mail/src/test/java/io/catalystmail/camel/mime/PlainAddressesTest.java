package io.catalystmail.camel.mime;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.DefaultAddressParser;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The shortcut for bare addresses gives exactly what Mime4j's parser gives, and declines everything else. */
class PlainAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = { "carol@example.test", "a@b", " a@b.c ", "a@b.c,d@e.f", "a@b.c , d@e.f,\tg@h",
            "first.last+tag@sub.example.com", "o'neil@example.com", "x!#$%&'*+-/=?^_`{|}~@example.com",
            "USER@EXAMPLE.COM", "a@b-", "1@2.3" })
    void bareAddressesAreReadAsTheParserReadsThem(String text) throws Exception {
        List<Address> shortcut = PlainAddresses.parse(text);
        assertNotNull(shortcut, text);
        assertEquals(describe(DefaultAddressParser.DEFAULT.parseAddressList(text)), describe(shortcut), text);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "Carol <carol@example.test>", "<carol@example.test>", "\"a b\"@example.com",
            "a(comment)@example.com", "Team: a@b.c;", "a@[127.0.0.1]", "jörg@example.com", "a@exämple.com",
            "a@b.c,", ",a@b.c", "a@b.c,,d@e.f", ".a@b", "a.@b", "a..b@c", "a@b..c", "a@.b", "a@b.", "@b", "a@",
            "a", "a@b@c", "a @b", "a@b c", "a\r\n@b" })
    void anythingElseIsLeftToTheParser(String text) {
        assertNull(PlainAddresses.parse(text), text);
    }

    private static List<String> describe(List<? extends Address> addresses) {
        List<String> result = new ArrayList<>();
        for (Address address : addresses) {
            Mailbox m = (Mailbox) address;
            result.add(m.getName() + "|" + m.getRoute() + "|" + m.getLocalPart() + "|" + m.getDomain());
        }
        return result;
    }
}
