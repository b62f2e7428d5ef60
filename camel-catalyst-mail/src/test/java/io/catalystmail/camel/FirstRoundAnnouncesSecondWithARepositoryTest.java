package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * With an idempotent repository (each message looked up as its round is planned) and an after-processing action
 * (rounds settled one by one), the second round is planned on the fetch-ahead thread while the first is read, and its
 * UID FETCH goes out between two responses of the first: the server streams it while the client still reads. The
 * first round's answer is frozen in its third message, after two whole responses: the second FETCH must be on the
 * wire all the same, and nothing was routed or deleted meanwhile.
 */
class FirstRoundAnnouncesSecondWithARepositoryTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("erin", "erin", "s3cret"));

    private static final Pattern BODY_FETCH = Pattern.compile("UID FETCH (\\S+) \\([^)]*BODY\\.PEEK\\[\\]");

    @Test
    void theSecondRoundIsAskedForWhileTheFirstIsStillRead() throws Exception {
        for (int i = 1; i <= 7; i++) {
            deliver(greenMail, "erin", textMessage("round-test-" + i, "x"));
        }
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        context.getRegistry().bind("repo", repository);
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // messages 1 and 2 of the first round reach the client whole, the third only up to its subject
            proxy.arm(FaultProxy.Direction.SERVER_TO_CLIENT, "Subject: round-test-3", 0, FaultProxy.Fault.FREEZE);
            MockEndpoint mock = getMockEndpoint("mock:result");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=erin&password=s3cret"
                         + "&fetchRoundSize=3&delete=true&idempotentRepository=#repo&initialDelay=0&delay=60000")
                            .to("mock:result");
                }
            });
            Eventually.await(() -> bodyFetches(proxy.clientText()).size() >= 2,
                    () -> "the second round was not asked for while the first one's answer was read:\n"
                          + proxy.clientText());
            assertEquals(List.of("1:3", "4:6"), bodyFetches(proxy.clientText()),
                    "the first two rounds, nothing more before an answer:\n" + proxy.clientText());
            assertEquals(0, mock.getReceivedCounter(), "nothing routed before its round was read");
            assertEquals(7, messages(greenMail, "erin", "INBOX").size(), "nothing deleted");
        }
    }

    private static List<String> bodyFetches(String sent) {
        Matcher m = BODY_FETCH.matcher(sent);
        List<String> sets = new ArrayList<>();
        while (m.find()) {
            sets.add(m.group(1));
        }
        return sets;
    }
}
