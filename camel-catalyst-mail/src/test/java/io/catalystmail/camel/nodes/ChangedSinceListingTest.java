package io.catalystmail.camel.nodes;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import jakarta.mail.Flags;
import org.apache.camel.BindToRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A message another session acted on between this poll's listing and its fetch: a killed node had routed it and
 * flagged it \Deleted (or \Seen), and its reservation in an orphan-lock repository expired while this node's poll,
 * longer than the lock age on a slow machine, still worked through a listing made before the flag. The FETCH's
 * FLAGS tell: such a message is not routed. The repository here stands in for the orphan-lock one: its add succeeds
 * for the dead node's key (expired), and the flag is set right then, as if the dead node had set it long before.
 */
class ChangedSinceListingTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));

    /** Sets a flag on message "m2" when its key is first asked about, after the listing, before the fetch. */
    private final FlaggingRepository shared = new FlaggingRepository();

    private final Set<String> routed = ConcurrentHashMap.newKeySet();

    @BindToRegistry("shared")
    FlaggingRepository shared() {
        return shared;
    }

    private void consume(String options) throws Exception {
        for (int i = 1; i <= 4; i++) {
            long uid = deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
            if (i == 2) {
                shared.uidToFlag = uid;
            }
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=alice&password=s3cret"
                     + "&idempotentRepository=#shared&initialDelay=0&delay=3600000&fetchRoundSize=2" + options)
                        .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
            }
        });
        Eventually.await(() -> routed.containsAll(Set.of("m1", "m3", "m4")), () -> "routed " + routed);
    }

    @Test
    void eagerWithDeleteDoesNotRouteAMessageFlaggedDeletedSinceTheListingAndCompletesItsDeletion() throws Exception {
        shared.flag = Flags.Flag.DELETED;
        consume("&idempotentEager=true&delete=true");
        // the poll's expunge comes after its rounds
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> "left: " + subjects(messages(greenMail, "alice", "INBOX")));
        assertEquals(Set.of("m1", "m3", "m4"), routed);
        assertTrue(shared.contains(shared.flaggedKey), "the key of m2 kept: it was processed (by the dead node)");
    }

    @Test
    void eagerUnseenDoesNotRouteAMessageSeenSinceTheListing() throws Exception {
        shared.flag = Flags.Flag.SEEN;
        consume("&idempotentEager=true&unseen=true");
        context.stop(); // the poll has ended: its reservations are confirmed or released
        assertEquals(Set.of("m1", "m3", "m4"), routed);
        assertTrue(shared.contains(shared.flaggedKey), "the key of m2 kept: it was processed (by the dead node)");
        assertEquals(4, messages(greenMail, "alice", "INBOX").size());
    }

    @Test
    void aMessageFlaggedDeletedSinceTheListingIsNotRoutedAndLeftAsItIsWithoutTheEagerMode() throws Exception {
        shared.flag = Flags.Flag.DELETED;
        consume("&delete=true");
        // expunging it would remove what another client flagged and this consumer never processed
        Eventually.await(() -> messages(greenMail, "alice", "INBOX").size() == 1,
                () -> "left: " + subjects(messages(greenMail, "alice", "INBOX")));
        context.stop();
        assertEquals(Set.of("m1", "m3", "m4"), routed);
        assertEquals(List.of("m2"), subjects(messages(greenMail, "alice", "INBOX")));
    }

    private static List<String> subjects(List<StoredMessage> messages) {
        return messages.stream().map(m -> subjectOf(m)).toList();
    }

    /** An in-memory repository whose first question about m2's key sets a flag on m2 at the server. */
    static final class FlaggingRepository extends MemoryIdempotentRepository {

        volatile long uidToFlag = -1;
        volatile Flags.Flag flag;
        volatile String flaggedKey;

        @Override
        public boolean add(String key) {
            flagOnce(key);
            return super.add(key);
        }

        @Override
        public boolean contains(String key) {
            flagOnce(key);
            return super.contains(key);
        }

        private void flagOnce(String key) {
            if (flaggedKey == null && key.endsWith(";UID=" + uidToFlag)) {
                flaggedKey = key;
                messages(greenMail, "alice", "INBOX").stream().filter(m -> subjectOf(m).equals("m2")).findFirst()
                        .orElseThrow().setFlag(flag, true);
            }
        }
    }
}
