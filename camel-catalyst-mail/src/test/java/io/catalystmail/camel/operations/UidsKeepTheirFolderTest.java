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
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import jakarta.mail.Flags;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A UID names a message only in its own folder under that folder's UIDVALIDITY (RFC 3501 §2.3.1.1): the UIDs a
 * search left on an exchange must not be used on another folder's messages that happen to carry the same numbers.
 */
class UidsKeepTheirFolderTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static String imap(String options) {
        return "catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&" + options;
    }

    private Exchange fresh() {
        return new DefaultExchange(context);
    }

    private Exchange ok(Exchange exchange, String options) {
        Exchange result = template.send(imap(options), exchange);
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        return result;
    }

    /** Two folders whose messages carry the same UIDs 1 and 2. */
    private void twoFoldersWithTheSameUids() {
        for (String folder : List.of("Sent", "Archive")) {
            ok(fresh(), "operation=create&folder=" + folder);
            for (String n : List.of("1", "2")) {
                Exchange e = fresh();
                e.getIn().setBody(GreenMailboxes.textMessage(folder + " " + n, "body"));
                ok(e, "operation=append&raw=true&folder=" + folder);
            }
        }
    }

    private static boolean flagged(String folder, int index) {
        StoredMessage m = GreenMailboxes.messages(GREEN_MAIL, "joe", folder).get(index);
        return m.isSet(Flags.Flag.FLAGGED);
    }

    @Test
    void uidsASearchFoundInOneFolderAreRefusedInAnotherAndActOnTheirOwn() {
        twoFoldersWithTheSameUids();
        Exchange e = ok(fresh(), "operation=search&folder=Sent&search=SUBJECT \"Sent 2\"");
        assertEquals(1, e.getMessage().getHeader(CatalystMailConstants.UIDS, List.class).size());

        Exchange refused = template.send(imap("operation=store&folder=Archive&flags=\\Flagged"), e);
        IllegalArgumentException why = assertInstanceOf(IllegalArgumentException.class, refused.getException());
        assertTrue(why.getMessage().startsWith("store on IMAP server 127.0.0.1:"), why.getMessage());
        assertTrue(why.getMessage().contains("came from folder 'Sent'") && why.getMessage().contains("'Archive'"),
                why.getMessage());
        assertTrue(!flagged("Archive", 0) && !flagged("Archive", 1), "nothing in Archive was flagged");

        e.setException(null);
        ok(e, "operation=store&folder=Sent&flags=\\Flagged");
        assertTrue(flagged("Sent", 1) && !flagged("Sent", 0), "the message the search found, in its own folder");
    }

    /**
     * Only operations on UIDs care where the exchange's UIDs came from: a status, create or append of another folder
     * after a search works (before, each was refused with "came from folder 'Sent'", found from a YAML route).
     */
    @Test
    void operationsWithoutUidsIgnoreTheUidsAnotherFoldersSearchLeft() {
        twoFoldersWithTheSameUids();
        Exchange e = ok(fresh(), "operation=search&folder=Sent&search=SUBJECT \"Sent 2\"");
        ok(e, "operation=status&folder=Archive");
        assertEquals(2L, e.getMessage().getHeader(CatalystMailConstants.MESSAGES, Long.class));
        e.getMessage().setHeader(CatalystMailConstants.FOLDER, "Sent");
        ok(e, "operation=create&folder=Later");
        e.getMessage().setHeader(CatalystMailConstants.FOLDER, "Sent");
        e.getMessage().setBody(GreenMailboxes.textMessage("Archive 3", "body"));
        ok(e, "operation=append&raw=true&folder=Archive");
        assertEquals(3, GreenMailboxes.messages(GREEN_MAIL, "joe", "Archive").size());
    }

    @Test
    void uidsReadUnderAnotherUidValidityAreRefused() {
        twoFoldersWithTheSameUids();
        Exchange e = fresh();
        Message m = e.getIn();
        m.setHeader(CatalystMailConstants.UIDS, 1L);
        m.setHeader(CatalystMailConstants.FOLDER, "Archive");
        long current = ok(fresh(), "operation=status&folder=Archive").getMessage()
                .getHeader(CatalystMailConstants.UID_VALIDITY, Long.class);
        m.setHeader(CatalystMailConstants.UID_VALIDITY, current + 1);

        Exchange refused = template.send(imap("operation=move&folder=Archive&destination=Sent"), e);
        IllegalArgumentException why = assertInstanceOf(IllegalArgumentException.class, refused.getException());
        assertTrue(why.getMessage().contains("UIDVALIDITY " + (current + 1)) && why.getMessage().contains(
                "now has " + current), why.getMessage());
        assertEquals(2, GreenMailboxes.messages(GREEN_MAIL, "joe", "Archive").size(), "nothing was moved");
    }

    @Test
    void uidsSetByHandWithoutTheirOriginAreUsedAsGiven() {
        twoFoldersWithTheSameUids();
        Exchange e = fresh();
        e.getIn().setHeader(CatalystMailConstants.UIDS, "1");
        ok(e, "operation=store&folder=Archive&flags=\\Flagged");
        assertTrue(flagged("Archive", 0) && !flagged("Sent", 0));
    }

    @Test
    void aFetchGivenUidsAndASearchFetchesTheUidsAndSaysSoOnce() {
        twoFoldersWithTheSameUids();
        try (CapturedLog log = new CapturedLog()) {
            for (int i = 0; i < 2; i++) {
                Exchange e = fresh();
                e.getIn().setHeader(CatalystMailConstants.UIDS, 2L);
                Exchange fetched = ok(e, "operation=fetch&folder=Sent&search=SUBJECT \"Sent 1\"");
                assertEquals("Sent 2", fetched.getMessage().getHeader("Subject"));
            }
            String text = log.text();
            int first = text.indexOf("does not search");
            assertTrue(first >= 0 && text.indexOf("does not search", first + 1) < 0, text);
        }
    }

    /** The search is set aside, not used, so not judged either: what it says cannot fail the fetch. */
    @Test
    void aFetchGivenUidsSetsASearchAsideUnread() {
        twoFoldersWithTheSameUids();
        try (CapturedLog log = new CapturedLog()) {
            Exchange e = fresh();
            e.getIn().setHeader(CatalystMailConstants.UIDS, 1L);
            e.getIn().setHeader(CatalystMailConstants.SEARCH, "SUBJECT");
            Exchange fetched = ok(e, "operation=fetch&folder=Archive");
            assertEquals("Archive 1", fetched.getMessage().getHeader("Subject"));
            assertTrue(log.text().contains("does not search"), log::text);
        }
    }
}
