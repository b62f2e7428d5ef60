package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The INTERNALDATE an append is given in CamelCatalystMailInternalDate, in the forms routes hold it: a YAML or XML
 * route's setHeader gives text, Java code often a java.util.Date or an OffsetDateTime. Each is stored as the
 * message's INTERNALDATE (RFC 3501 §6.3.11); a value that is no date fails the exchange before anything is stored,
 * instead of the message being filed silently under the time of the append.
 */
class AppendInternalDateHeaderTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private static final Instant RECEIVED = Instant.parse("2025-01-02T03:04:05Z");

    private Exchange append(Object internalDate) {
        return template.send("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&operation=append&raw=true&folder=INBOX", e -> {
                    e.getIn().setBody(GreenMailboxes.textMessage("old", "from last year"));
                    e.getIn().setHeader(CatalystMailConstants.INTERNAL_DATE, internalDate);
                });
    }

    private Instant storedInternalDate() throws Exception {
        return GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").get(0).getReceivedDate().toInstant();
    }

    @Test
    void anIsoTextAsAYamlRouteSetsItIsStoredAsTheInternalDate() throws Exception {
        Exchange result = append("2025-01-02T03:04:05Z");
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        assertEquals(RECEIVED, storedInternalDate());
    }

    @Test
    void anIsoTextWithAnOffsetIsStoredAsTheSameInstant() throws Exception {
        Exchange result = append("2025-01-02T04:04:05+01:00");
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        assertEquals(RECEIVED, storedInternalDate());
    }

    @Test
    void aJavaUtilDateIsStoredAsTheInternalDate() throws Exception {
        Exchange result = append(Date.from(RECEIVED));
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        assertEquals(RECEIVED, storedInternalDate());
    }

    @Test
    void anOffsetDateTimeIsStoredAsTheInternalDate() throws Exception {
        Exchange result = append(OffsetDateTime.parse("2025-01-01T22:04:05-05:00"));
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        assertEquals(RECEIVED, storedInternalDate());
    }

    @Test
    void aValueThatIsNoDateFailsTheExchangeAndNothingIsStored() throws Exception {
        Exchange result = append("yesterday");
        IllegalArgumentException refused = assertInstanceOf(IllegalArgumentException.class, result.getException());
        assertTrue(refused.getMessage().contains(CatalystMailConstants.INTERNAL_DATE)
                && refused.getMessage().contains("'yesterday'"), refused.getMessage());
        assertEquals(0, GreenMailboxes.messages(GREEN_MAIL, "joe", "INBOX").size());
    }
}
