package io.catalystmail.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * copyTo with moveTo, the connection cut as the UID MOVE goes out: the UID COPY before it was answered OK, so the
 * next poll's retry moves the messages without copying them again. Before, every message of the failed poll was
 * copied twice (Apache James showed it: one poll of a run failed on its out-of-order answers, and the copy folder held
 * a round of messages twice).
 */
class ConfirmedCopyIsNotMadeAgainTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("dora", "dora", "s3cret"));

    private final Map<String, Integer> routed = new ConcurrentHashMap<>();

    @Test
    void aCopyAnsweredOkIsNotMadeAgainWhenTheMoveAfterItIsLost() throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver(greenMail, "dora", textMessage("c" + i, "x"));
        }
        GreenMailboxes.folder(greenMail, "dora", "Copies");
        GreenMailboxes.folder(greenMail, "dora", "Archive");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())
                .arm(FaultProxy.Direction.CLIENT_TO_SERVER, "UID MOVE", 0, FaultProxy.Fault.CUT)) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=dora&password=s3cret"
                         + "&copyTo=Copies&moveTo=Archive&initialDelay=0&delay=100")
                            .process(e -> routed.merge(e.getMessage().getHeader("Subject", String.class), 1,
                                    Integer::sum));
                }
            });
            Eventually.await(() -> messages(greenMail, "dora", "Archive").size() == 3,
                    () -> "moved: " + subjects("Archive") + ", copied: " + subjects("Copies") + ", sent:\n"
                          + proxy.clientText());
            assertEquals(true, proxy.fired(), "the move's connection was cut");
            assertEquals(List.of("c1", "c2", "c3"), subjects("Copies"), "each message copied once");
            assertEquals(1, proxy.timesSent("UID COPY"), "the copy sent once:\n" + proxy.clientText());
            assertEquals(Map.of("c1", 1, "c2", 1, "c3", 1), routed, "each message routed once");
            assertEquals(List.of(), subjects("INBOX"));
        }
    }

    private static List<String> subjects(String folder) {
        return messages(greenMail, "dora", folder).stream().map(GreenMailboxes::subjectOf).sorted().toList();
    }
}
