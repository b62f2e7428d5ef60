package io.catalystmail.camel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FailingRepository;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.SpoolFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every part file the mapper spools (bodies and attachments above bodyStorageThreshold) is deleted once its message
 * is done with, on every path a message can take: routed with success, failed, filtered, rolled back, skipped as a
 * duplicate, left unrouted because the consumer stopped or the connection was lost mid-poll, and the messages of
 * the fetch operation, as a list and as a streamed iterator. Counted in the spool directory after each path.
 */
class SpooledFilesReleasedTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("sam", "sam", "s3cret"))
            .withPerMethodLifecycle(true);

    private final CamelContext context = new DefaultCamelContext();
    private final List<String> routed = new CopyOnWriteArrayList<>();
    /** Spooled files seen while a message was in its route: shows the messages did go to files. */
    private final List<Long> spooledInRoute = new CopyOnWriteArrayList<>();
    private long before;

    @BeforeEach
    void countBefore() {
        before = SpoolFiles.count();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private static String uri(int port, String options) {
        return "catalystmail:imap:127.0.0.1:" + port + "?username=sam&password=s3cret&bodyStorageThreshold=1024"
               + "&initialDelay=0&" + options;
    }

    /** A message whose 20 KB attachment is spooled to a file (above bodyStorageThreshold=1024). */
    private static byte[] withAttachment(String subject) {
        String text = "From: a@example.test\r\nTo: sam@example.test\r\nSubject: " + subject + "\r\n"
                      + "Message-ID: <" + subject.replace(' ', '-') + "@example.test>\r\nMIME-Version: 1.0\r\n"
                      + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                      + subject + "\r\n--b\r\nContent-Type: application/octet-stream\r\n"
                      + "Content-Disposition: attachment; filename=data.bin\r\n\r\n" + "0123456789\r\n".repeat(1700)
                      + "--b--\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private void deliverAll(String... subjects) {
        for (String subject : subjects) {
            deliver(greenMail, "sam", withAttachment(subject));
        }
    }

    private void record(Exchange e) {
        routed.add(e.getMessage().getHeader("Subject", String.class));
        spooledInRoute.add(SpoolFiles.count() - before);
    }

    private void awaitRouted(int n) {
        Eventually.await(() -> Set.copyOf(routed).size() >= n, () -> "routed so far: " + routed);
    }

    @Test
    void successFailureFilterAndRollbackEachReleaseTheirFiles() throws Exception {
        deliverAll("ok", "fail", "filtered", "rollback");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(greenMail.getImap().getPort(), "delay=60000")).errorHandler(noErrorHandler())
                        .process(SpooledFilesReleasedTest.this::record)
                        .choice()
                            .when(header("Subject").isEqualTo("fail")).throwException(new IllegalStateException("no"))
                            .when(header("Subject").isEqualTo("rollback")).rollback("rolled back")
                        .end()
                        .filter(header("Subject").isNotEqualTo("filtered"))
                            .log("passed the filter");
            }
        });
        context.start();

        awaitRouted(4);
        assertTrue(spooledInRoute.stream().allMatch(n -> n >= 1), "each message spooled its attachment: " + spooledInRoute);
        SpoolFiles.awaitBackTo(before, "success, failure, filter and rollback");
    }

    @Test
    void aMessageWhoseMessageIdWasRoutedBeforeIsSkippedAndItsFilesReleased() throws Exception {
        deliverAll("seen before", "new");
        MemoryIdempotentRepository repository = new MemoryIdempotentRepository();
        repository.start();
        repository.add("<seen-before@example.test>");
        context.getRegistry().bind("repo", repository);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(greenMail.getImap().getPort(), "delay=60000&idempotentKey=MESSAGE_ID"
                                                        + "&idempotentRepository=#repo"))
                        .process(SpooledFilesReleasedTest.this::record);
            }
        });
        context.start();

        awaitRouted(1);
        assertEquals(List.of("new"), routed);
        // the skipped one is mapped (its Message-ID is known only then) and never routed
        SpoolFiles.awaitBackTo(before, "a duplicate by Message-ID");
    }

    @Test
    void stoppingTheConsumerMidRoundReleasesTheRoundsFetchedAhead() throws Exception {
        deliverAll("m1", "m2", "m3", "m4", "m5", "m6");
        CountDownLatch release = new CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(greenMail.getImap().getPort(), "delay=60000&fetchRoundSize=2")).routeId("held")
                        .process(e -> {
                            record(e);
                            assertTrue(release.await(30, TimeUnit.SECONDS));
                        });
            }
        });
        context.start();
        awaitRouted(1);
        // round 2 is fetched ahead while m1 is held in the route
        Eventually.await(() -> SpoolFiles.count() - before >= 3, () -> "round 2 not spooled ahead");

        ScheduledBatchPollingConsumer consumer = (ScheduledBatchPollingConsumer) context.getRoute("held").getConsumer();
        AtomicBoolean stopped = new AtomicBoolean();
        Thread stopping = new Thread(() -> {
            try {
                context.getRouteController().stopRoute("held", 30, TimeUnit.SECONDS);
                stopped.set(true);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopping.start();
        Eventually.await(() -> !consumer.isBatchAllowed(), () -> "the consumer was not told to stop");
        release.countDown();
        stopping.join(30_000);

        assertTrue(stopped.get(), "the route stopped");
        assertTrue(routed.size() < 6, "the stop ended the poll early: " + routed);
        SpoolFiles.awaitBackTo(before, "a stop in the middle of a poll");
    }

    @Test
    void aConnectionLostWhileSettlingARoundReleasesTheRoundFetchedBehindIt() throws Exception {
        deliverAll("r1", "r2", "r3", "r4");
        try (FaultProxy proxy = new FaultProxy(greenMail.getImap().getPort())) {
            // round 1's \Seen goes out once round 2 is fetched: the cut leaves round 2 fetched and not routed
            proxy.arm(FaultProxy.Direction.CLIENT_TO_SERVER, "UID STORE", 0, FaultProxy.Fault.CUT);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri(proxy.port(), "delay=100&fetchRoundSize=2&readTimeout=5000"))
                            .process(SpooledFilesReleasedTest.this::record);
                }
            });
            context.start();

            awaitRouted(4);
            assertTrue(proxy.fired(), "the connection was cut");
            assertTrue(proxy.connections() >= 2, "the next poll reconnected");
            SpoolFiles.awaitBackTo(before, "a poll that lost its connection between rounds");
        }
    }

    /**
     * The repository fails on the first message's add: the poll ends in its first round. In rounds of 2 that leaves
     * the round's last, held for the batch's end; in rounds of 4 also the two taken off the round for routing after the
     * failing one, which before were neither routed nor released: their files stayed until the JVM exited.
     */
    @ParameterizedTest(name = "rounds of {0}")
    @ValueSource(ints = { 2, 4 })
    void aRepositoryFailingMidRoundReleasesWhatWasNotRouted(int roundSize) throws Exception {
        deliverAll("q1", "q2", "q3", "q4");
        FailingRepository repository = FailingRepository.failingOnce();
        context.getRegistry().bind("repo", repository);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri(greenMail.getImap().getPort(), "delay=100&fetchRoundSize=" + roundSize
                                                        + "&idempotentRepository=#repo"))
                        .process(SpooledFilesReleasedTest.this::record);
            }
        });
        context.start();

        awaitRouted(4);
        SpoolFiles.awaitBackTo(before, "a poll that failed in the middle of a round");
    }

    @Test
    void fetchedMessagesReleaseTheirFilesWithTheExchangeAsAListAndStreamed() throws Exception {
        deliverAll("f1", "f2", "f3", "f4", "f5");
        List<Long> spooledInSplit = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                String fetch = uri(greenMail.getImap().getPort(), "operation=fetch&search=ALL");
                from("direct:list").to(fetch).process(e -> spooledInRoute.add(SpoolFiles.count() - before));
                from("direct:streamed").to(fetch + "&fetchAs=iterator&fetchRoundSize=2")
                        .split(body()).streaming()
                            .process(e -> spooledInSplit.add(SpoolFiles.count() - before));
                from("direct:stopsEarly").to(fetch + "&fetchAs=iterator&fetchRoundSize=2")
                        .split(body()).streaming().stopOnException()
                            .throwException(new IllegalStateException("the split gives up"));
            }
        });
        context.start();

        Exchange list = context.createProducerTemplate().send("direct:list", e -> { });
        assertNull(list.getException());
        assertEquals(List.of(5L), spooledInRoute, "the five attachments are in files while the exchange is routed");
        SpoolFiles.awaitBackTo(before, "a fetch as a list");

        Exchange streamed = context.createProducerTemplate().send("direct:streamed", e -> { });
        assertNull(streamed.getException());
        assertEquals(5, spooledInSplit.size());
        SpoolFiles.awaitBackTo(before, "a streamed fetch");

        Exchange early = context.createProducerTemplate().send("direct:stopsEarly", e -> { });
        assertTrue(early.isFailed());
        SpoolFiles.awaitBackTo(before, "a streamed fetch whose split stopped early");
    }
}
