package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CamelCatalystMailUids given as an array (long[], Long[], Integer[]), as Java code holding UIDs often has them: the
 * same messages as the collection of those numbers. Before, the array's toString() ('[J@1d483de4') was parsed as a
 * UID set and refused with a message that named neither the type nor the header.
 */
class UidsHeaderAsArrayTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private Exchange send(String options, Object uids) {
        return template.send("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&" + options, e -> {
                    e.getIn().setBody(GreenMailboxes.textMessage("numbered", "one of three"));
                    e.getIn().setHeader(CatalystMailConstants.UIDS, uids);
                });
    }

    private List<Long> appendThree() {
        return List.of(1, 2, 3).stream().map(i -> {
            Exchange appended = send("operation=append&raw=true&folder=INBOX", null);
            assertNull(appended.getException(), () -> String.valueOf(appended.getException()));
            return appended.getMessage().getHeader(CatalystMailConstants.UID, Long.class);
        }).toList();
    }

    private List<Boolean> flagged() {
        return GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").stream()
                .map((StoredMessage m) -> m.isSet(Flags.Flag.FLAGGED)).toList();
    }

    @Test
    void aPrimitiveLongArrayNamesThoseMessages() {
        List<Long> uids = appendThree();
        Exchange stored = send("operation=store&flags=\\Flagged", new long[] { uids.get(2), uids.get(0) });
        assertNull(stored.getException(), () -> String.valueOf(stored.getException()));
        assertEquals(List.of(true, false, true), flagged());
    }

    @Test
    void anIntegerArrayNamesThoseMessages() {
        List<Long> uids = appendThree();
        Exchange stored = send("operation=store&flags=\\Flagged",
                new Integer[] { uids.get(1).intValue() });
        assertNull(stored.getException(), () -> String.valueOf(stored.getException()));
        assertEquals(List.of(false, true, false), flagged());
    }

    @Test
    void anEmptyArrayIsRefusedAsAnEmptyCollectionIs() {
        appendThree();
        Exchange stored = send("operation=store&flags=\\Flagged", new long[0]);
        IllegalArgumentException refused = assertInstanceOf(IllegalArgumentException.class, stored.getException());
        assertTrue(refused.getMessage().contains(CatalystMailConstants.UIDS) && refused.getMessage().contains("empty"),
                refused.getMessage());
        assertEquals(List.of(false, false, false), flagged());
    }
}
