package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A search on a pooled connection whose folder stayed selected: the server may name mail that arrived since its last
 * EXISTS in the SEARCH answer and send the new EXISTS only after it (GreenMail does, as RFC 3501 §7.3.1 allows). The
 * answer's bound must not take that for an answer without end.
 */
class SearchOnAKeptConnectionTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private Exchange fetchAll() {
        Exchange result = template.send("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&operation=fetch&folder=INBOX&search=ALL"
                + "&maxMessagesPerPoll=2", e -> { });
        assertNull(result.getException(), () -> String.valueOf(result.getException()));
        return result;
    }

    @Test
    @SuppressWarnings("unchecked")
    void moreMailArrivedSinceTheLastExistsThanTheFetchTakesIsNoEndlessAnswer() {
        GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("m0", "body"));
        assertEquals(1, fetchAll().getMessage().getBody(List.class).size());
        for (int i = 1; i <= 5; i++) {
            GreenMailboxes.deliver(GREEN_MAIL, "joe", GreenMailboxes.textMessage("m" + i, "body"));
        }
        List<org.apache.camel.Message> fetched = fetchAll().getMessage().getBody(List.class);
        assertEquals(List.of("m0", "m1"), fetched.stream().map(m -> m.getHeader("Subject", String.class)).toList());
    }
}
