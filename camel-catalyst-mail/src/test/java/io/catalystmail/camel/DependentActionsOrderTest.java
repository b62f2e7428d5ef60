package io.catalystmail.camel;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ExpungeOrder;
import jakarta.mail.Flags;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.folder;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The after-processing of one message can be several commands on the same UIDs (a copy, \Seen, a move, \Deleted),
 * and the rounds pipeline them behind the next round's FETCH. RFC 3501 §5.5 forbids pipelining commands whose
 * results depend on each other, as a server may run them side by side (Dovecot does with UID commands): a move
 * pipelined behind its \Seen could arrive unseen, a copy pipelined with a flag could carry it or not. Each such
 * command goes out only once the one it depends on is answered, which the protocol log shows (GreenMail itself
 * runs a connection's commands one by one, so it cannot show the flags going wrong; Dovecot and James do, in
 * PartialPollsLeaveNothingInteropIT).
 */
class DependentActionsOrderTest extends CamelTestSupport {

    private static final int MESSAGES = 100;

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    /** Routes {@value #MESSAGES} messages in rounds of 7 with {@code options}; returns the protocol log. */
    private String consumeAll(String options, String... folders) throws Exception {
        for (String name : folders) {
            folder(greenMail, "alice", name);
        }
        for (int i = 1; i <= MESSAGES; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
        try (CapturedLog log = new CapturedLog()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice"
                         + "&password=s3cret&initialDelay=0&delay=100&fetchRoundSize=7&" + options)
                            .routeId("mail").process(e -> routed
                                    .computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                            s -> new AtomicInteger())
                                    .incrementAndGet());
                }
            });
            Eventually.await(() -> routed.size() == MESSAGES && messages(greenMail, "alice", "INBOX").isEmpty(),
                    () -> routed.size() + " of " + MESSAGES + " routed, "
                          + messages(greenMail, "alice", "INBOX").size() + " left in INBOX");
            context.getRouteController().stopRoute("mail");
            routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
            return log.text();
        }
    }

    /** The subjects in {@code folder} whose {@code flag} is not as {@code set} says (empty when all are). */
    private static List<String> flaggedOtherwise(String folder, Flags.Flag flag, boolean set) {
        List<StoredMessage> stored = messages(greenMail, "alice", folder);
        assertEquals(MESSAGES, stored.size(), "messages in " + folder);
        return stored.stream().filter(m -> m.isSet(flag) != set).map(m -> subjectOf(m)).toList();
    }

    @Test
    void aMoveGoesOutOnlyOnceItsSeenFlagIsAnsweredSoTheMessageArrivesSeen() throws Exception {
        String log = consumeAll("moveTo=Archive", "Archive");
        ExpungeOrder.assertDependentCommandsFollowAnswers(log);
        assertEquals(List.of(), flaggedOtherwise("Archive", Flags.Flag.SEEN, true), "moved without \\Seen");
    }

    @Test
    void theSeenFlagWaitsForTheCopyAndTheMoveForTheFlagSoTheCopyArrivesUnseenAndTheMovedMessageSeen()
            throws Exception {
        String log = consumeAll("copyTo=Copies&moveTo=Archive", "Copies", "Archive");
        ExpungeOrder.assertDependentCommandsFollowAnswers(log);
        assertEquals(List.of(), flaggedOtherwise("Copies", Flags.Flag.SEEN, false), "copied with \\Seen");
        assertEquals(List.of(), flaggedOtherwise("Archive", Flags.Flag.SEEN, true), "moved without \\Seen");
    }

    @Test
    void theDeletedFlagWaitsForTheCopySoTheCopyNeverCarriesIt() throws Exception {
        String log = consumeAll("copyTo=Copies&delete=true", "Copies");
        ExpungeOrder.assertDependentCommandsFollowAnswers(log);
        assertEquals(List.of(), flaggedOtherwise("Copies", Flags.Flag.DELETED, false), "copied with \\Deleted");
    }
}
