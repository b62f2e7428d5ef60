package io.catalystmail.camel;

import java.util.Set;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The IMAP connection outlives a poll, is replaced when dropped and closed on stop. */
class ImapConnectionLifecycleTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("dave", "dave", "s3cret"));


    @Test
    void oneConnectionServesManyPollsIsReplacedWhenDroppedAndLogsOutOnStop() throws Exception {
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            MockEndpoint mock = getMockEndpoint("mock:result");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + proxy.port() + "?username=dave&password=s3cret"
                         + "&initialDelay=0&delay=50").routeId("mail").to("mock:result");
                }
            });
            Eventually.await(() -> proxy.timesSent("UID SEARCH") >= 3, () -> "polls: " + proxy.clientText());
            assertEquals(1, proxy.connections(), "every poll reused the first connection");

            proxy.dropAll();
            deliver(greenMail, "dave", textMessage("after drop", "x"));
            mock.expectedMessageCount(1);
            mock.setResultWaitTime(20_000);
            mock.assertIsSatisfied();
            assertEquals(2, proxy.connections(), "a dropped connection is replaced on the next poll");

            context.getRouteController().stopRoute("mail");
            Eventually.await(() -> proxy.clientText().contains("LOGOUT"), () -> "LOGOUT on stop");
        }
    }

    @Test
    void aRecreatedFolderWithANewUidValidityIsProcessedUnderNewKeys() throws Exception {
        GreenMailUser user = greenMail.getUserManager().getUser("dave");
        GreenMailboxes.folder(greenMail, "dave", "Work");
        deliver(greenMail, "dave", "Work", textMessage("before", "x"));
        MemoryIdempotentRepository repo = new MemoryIdempotentRepository();
        context.getRegistry().bind("repo", repo);
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=dave&password=s3cret"
                     + "&folder=Work&markSeen=false&idempotentRepository=#repo&initialDelay=0&delay=50")
                        .routeId("mail").to("mock:result");
            }
        });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        Eventually.await(() -> repo.getCacheSize() == 1, () -> "first key recorded");
        Object firstValidity = mock.getReceivedExchanges().get(0).getMessage().getHeader(CatalystMailConstants.UID_VALIDITY);
        Object firstUid = mock.getReceivedExchanges().get(0).getMessage().getHeader(CatalystMailConstants.UID);

        // the folder is recreated: the server starts a new UIDVALIDITY and numbers from 1 again
        context.getRouteController().stopRoute("mail");
        // GreenMail renames the selected folder away cleanly (deleting it trips over its closed session listener).
        // Its UIDVALIDITY comes from the clock, so a folder recreated within the same tick repeats the old value,
        // which RFC 3501 §2.3.1.1 forbids: recreate until the value really changed.
        long oldValidity = GreenMailboxes.folder(greenMail, "dave", "Work").getUidValidity();
        int generation = 0;
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        do {
            greenMail.getManagers().getImapHostManager().renameMailbox(user, "Work", "Work-old-" + generation++);
        } while (GreenMailboxes.folder(greenMail, "dave", "Work").getUidValidity() == oldValidity
                 && System.nanoTime() < deadline);
        deliver(greenMail, "dave", "Work", textMessage("after", "x"));
        assertEquals(java.util.List.of("after"), GreenMailboxes.messages(greenMail, "dave", "Work").stream()
                .map(GreenMailboxes::subjectOf).toList(), "the new folder holds just the new message");
        mock.reset();
        mock.expectedMessageCount(1);
        context.getRouteController().startRoute("mail");
        mock.assertIsSatisfied();

        org.apache.camel.Message after = mock.getReceivedExchanges().get(0).getMessage();
        assertEquals("after", after.getHeader("Subject"));
        assertEquals(firstUid, after.getHeader(CatalystMailConstants.UID), "the new folder numbers from the same UID");
        assertNotEquals(firstValidity, after.getHeader(CatalystMailConstants.UID_VALIDITY));
        // the key is recorded right after the route finished with the exchange
        Eventually.await(() -> repo.getCacheSize() == 2, () -> "keys: " + repo.getCache().keySet());
        Set<String> keys = repo.getCache().keySet();
        assertEquals(2, keys.size(), "both messages recorded under their own UIDVALIDITY: " + keys);
        assertNotEquals(keys.stream().map(k -> k.substring(0, k.indexOf("/;UID="))).distinct().count(), 1L,
                "the keys differ in UIDVALIDITY: " + keys);
    }
}
