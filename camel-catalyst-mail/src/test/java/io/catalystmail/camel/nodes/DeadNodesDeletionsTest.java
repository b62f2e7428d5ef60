package io.catalystmail.camel.nodes;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.PollOutcomes;
import jakarta.mail.Flags;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a dead node leaves between its flag and its expunge, and the keys of messages that left the folder
 * (several-nodes.adoc, "A dead node's flagged messages"): a node whose UID EXPUNGE never reached the server (a proxy
 * swallows it, the node's poll ends at its fetchTimeout and the node stops) leaves its routed messages flagged
 * {@code \Deleted $CatalystMailDone}; a live node, whose repository does not know them (the dead node's reservations
 * expired), expunges them without routing them, and leaves alone a message another client flagged \Deleted. With
 * idempotentRemoveOnCommit a key leaves the repository once the server answered the expunge or move of its message,
 * and only then.
 */
class DeadNodesDeletionsTest {

    private static final String KEYWORD = "$CatalystMailDone";

    @RegisterExtension
    static GreenMailExtension greenMail = AliceInbox.server();

    private final List<CamelContext> contexts = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopNodes() throws Exception {
        for (CamelContext context : contexts) {
            context.stop();
        }
    }

    @Test
    void aLiveNodeExpungesWhatADeadNodeFlaggedWithoutRoutingItAgain() throws Exception {
        AliceInbox.fill(greenMail, 1, 5);
        Set<String> routedByDead = ConcurrentHashMap.newKeySet();
        List<Exception> deadPollFailures = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, "UID EXPUNGE", 0, FaultProxy.Fault.STALL);
            CamelContext dead = node(proxy.port(), "&fetchTimeout=2000&delay=3600000&pollStrategy=#marker"
                    + "&delete=true",
                    new MemoryIdempotentRepository(), routedByDead, PollOutcomes.onFailure(deadPollFailures::add));
            Eventually.await(Duration.ofSeconds(30), () -> !deadPollFailures.isEmpty(),
                    () -> "the node's poll to fail at the swallowed UID EXPUNGE; routed " + routedByDead);
            dead.stop(); // nothing more of it reaches the server: the proxy swallows what follows the expunge
            assertTrue(proxy.clientText().contains("+FLAGS.SILENT (\\Deleted " + KEYWORD + ")"),
                    "the routed messages were flagged with the keyword: " + proxy.clientText());
        }
        assertEquals(Set.of("m1", "m2", "m3", "m4", "m5"), routedByDead);
        assertEquals(5, messages(greenMail, "alice", "INBOX").stream()
                .filter(m -> m.getFlags().contains(Flags.Flag.DELETED) && m.getFlags().contains(KEYWORD)).count());

        AliceInbox.fill(greenMail, 6, 7);
        StoredMessage flaggedByAnother = messages(greenMail, "alice", "INBOX").stream()
                .filter(m -> subjectOf(m).equals("m7")).findFirst().orElseThrow();
        flaggedByAnother.setFlag(Flags.Flag.DELETED, true);
        Set<String> routedByLive = ConcurrentHashMap.newKeySet();
        // the dead node's reservations expired: the live node's repository knows none of its keys
        node(greenMail.getImap().getPort(), "&delay=100&delete=true", new MemoryIdempotentRepository(), routedByLive, null);
        Eventually.await(() -> subjects().equals(List.of("m7")) && routedByLive.contains("m6"),
                () -> "left " + subjects() + ", routed by the live node " + routedByLive);
        assertEquals(Set.of("m6"), routedByLive, "the dead node's messages were not routed again");
    }

    @Test
    void keysLeaveTheRepositoryOnceTheServerAnsweredTheExpunge() throws Exception {
        AliceInbox.fill(greenMail, 1, 5);
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        Set<String> routed = ConcurrentHashMap.newKeySet();
        node(greenMail.getImap().getPort(), "&delay=100&idempotentRemoveOnCommit=true&delete=true", repository, routed, null);
        Eventually.await(() -> routed.size() == 5 && subjects().isEmpty() && repository.getCacheSize() == 0,
                () -> "routed " + routed + ", left " + subjects() + ", keys " + repository.getCache().keySet());
    }

    @Test
    void keysLeaveTheRepositoryOnceTheServerAnsweredTheMove() throws Exception {
        AliceInbox.fill(greenMail, 1, 5);
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        Set<String> routed = ConcurrentHashMap.newKeySet();
        node(greenMail.getImap().getPort(), "&delay=100&idempotentRemoveOnCommit=true&moveTo=Done"
                + "&autoCreateFolders=true", repository, routed, null);
        Eventually.await(() -> routed.size() == 5 && subjects().isEmpty() && repository.getCacheSize() == 0,
                () -> "routed " + routed + ", left " + subjects() + ", keys " + repository.getCache().keySet());
        assertEquals(5, messages(greenMail, "alice", "Done").size());
    }

    @Test
    void keysStayWhileTheExpungeIsUnansweredAndLeaveOnceItIs() throws Exception {
        AliceInbox.fill(greenMail, 1, 5);
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        Set<String> routed = ConcurrentHashMap.newKeySet();
        List<Integer> keysAfterFailedPoll = new CopyOnWriteArrayList<>();
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // the connection is cut as the UID EXPUNGE goes out: the server never answers it (the next connection
            // goes through)
            proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, "UID EXPUNGE", 0, FaultProxy.Fault.CUT);
            node(proxy.port(), "&delay=100&idempotentRemoveOnCommit=true&pollStrategy=#marker&delete=true", repository,
                    routed,
                    PollOutcomes.onFailure(e -> keysAfterFailedPoll.add(repository.getCacheSize())));
            Eventually.await(() -> routed.size() == 5 && subjects().isEmpty() && repository.getCacheSize() == 0,
                    () -> "routed " + routed + ", left " + subjects() + ", keys " + repository.getCache().keySet());
            assertTrue(proxy.fired(), "the expunge was cut");
        }
        assertEquals(List.of(5), keysAfterFailedPoll, "every key stayed after the poll whose expunge was cut");
    }

    @Test
    void withoutTheOptionKeysStay() throws Exception {
        AliceInbox.fill(greenMail, 1, 5);
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        Set<String> routed = ConcurrentHashMap.newKeySet();
        List<Integer> keysAfterPoll = new CopyOnWriteArrayList<>();
        node(greenMail.getImap().getPort(), "&delay=100&pollStrategy=#marker&delete=true", repository, routed,
                PollOutcomes.onEveryPoll(() -> keysAfterPoll.add(repository.getCacheSize())));
        Eventually.await(() -> routed.size() == 5 && subjects().isEmpty() && keysAfterPoll.size() >= 2,
                () -> "routed " + routed + ", left " + subjects() + ", keys after each poll " + keysAfterPoll);
        assertEquals(5, repository.getCacheSize(), "the record of what was routed is kept");
    }

    /** An eager consumer on alice's INBOX at {@code port}, recording the subjects it routes. */
    private CamelContext node(int port, String options, MemoryIdempotentRepository repository, Set<String> routed,
            PollOutcomes outcomes) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("repository", repository);
        if (outcomes != null) {
            context.getRegistry().bind("marker", outcomes);
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + port + "?username=alice&password=s3cret"
                     + "&idempotentRepository=#repository&idempotentEager=true&initialDelay=0" + options)
                        .process(e -> routed.add(e.getMessage().getHeader("Subject", String.class)));
            }
        });
        contexts.add(context);
        context.start();
        return context;
    }

    private static List<String> subjects() {
        return messages(greenMail, "alice", "INBOX").stream().map(m -> subjectOf(m)).sorted().toList();
    }
}
