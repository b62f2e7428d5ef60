package io.catalystmail.camel.faults;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.FailingRepository;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The route succeeded and the idempotent repository failed to record it (its database down): the poll fails there,
 * and the message is remembered as routed with its action owed, so the next poll deletes it instead of routing it
 * again. Before, its action was recorded only after the repository's add, so the failure left it unremembered and
 * untouched on the server: the next poll routed it a second time.
 */
class FailingRepositoryAddTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(
            ServerSetup.dynamicPort(new ServerSetup[] { ServerSetupTest.IMAP, ServerSetupTest.POP3 }))
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("lee", "lee", "s3cret"))
            .withPerMethodLifecycle(true);

    /** UnrecordedKeys.GIVE_UP_AFTER, which is package-private in the consumer's package. */
    private static final int GIVE_UP_AFTER = 5;

    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();
    private final CapturedExceptions failures = new CapturedExceptions();

    /**
     * With delete=true the next poll deletes it; with a message that stays listed (delete=false&markSeen=false, or
     * unseen=false, where the \\Seen retried succeeds) it stays remembered until its key is recorded: before, the
     * key's only trace was the after-processing entry, which does not exist without an action and is dropped once
     * the action succeeds, so a later poll routed it again.
     */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({ "imap, delete=true", "pop3, delete=true", "imap, delete=false&markSeen=false",
                 "pop3, delete=false&markSeen=false", "imap, unseen=false",
                 // the repository's failure is no failed attempt of the action, which was never sent: not given up
                 "imap, delete=true&afterProcessingAttempts=1", "pop3, delete=true&afterProcessingAttempts=1" })
    void aMessageWhoseKeyCouldNotBeRecordedIsNotRoutedAgain(String protocol, String options) throws Exception {
        for (int i = 1; i <= 3; i++) {
            deliver(greenMail, "lee", textMessage("m" + i, "body " + i));
        }
        FailingRepository repository = FailingRepository.failingOnce();
        context.getRegistry().bind("repo", repository);
        context.getRegistry().bind("failures", failures);
        int port = "imap".equals(protocol) ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:" + protocol + ":127.0.0.1:" + port + "?username=lee&password=s3cret&" + options
                     + "&idempotentRepository=#repo&exceptionHandler=#failures&initialDelay=0&delay=100")
                        .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                s -> new AtomicInteger()).incrementAndGet());
            }
        });
        boolean deletes = options.contains("delete=true");
        Eventually.await(() -> routed.size() == 3 && (!deletes || messages(greenMail, "lee", "INBOX").isEmpty()),
                () -> "routed " + routed + ", " + messages(greenMail, "lee", "INBOX").size() + " left on the server");
        assertTrue(String.valueOf(failures.next(java.time.Duration.ofSeconds(5))).contains(FailingRepository.DOWN),
                "the poll failed with the repository");
        // two polls at least after the failed one: the first may only retry the action, the second lists it again
        for (int i = 4; i <= 5; i++) {
            deliver(greenMail, "lee", textMessage("m" + i, "body " + i));
            String subject = "m" + i;
            Eventually.await(() -> routed.containsKey(subject), () -> "routed " + routed);
        }
        context.stop();
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
        assertEquals(5, repository.getCacheSize(), "every routed message's key recorded in the end");
    }

    /**
     * One key the repository always rejects (a Message-ID too long for its column) while it records the others: the
     * keys owed behind it are recorded all the same, and it is given up after five polls with one
     * ERROR naming it. Before, recordOwed stopped at its first failure, oldest first: the rejected key blocked every
     * key behind it for good, silently past the WARN.
     */
    @Test
    void aKeyTheRepositoryAlwaysRejectsBlocksNoneBehindItAndIsGivenUpWithAnError() throws Exception {
        List<String> keys = new CopyOnWriteArrayList<>();
        AtomicBoolean secondFailed = new AtomicBoolean();
        FailingRepository repository = FailingRepository.failingFor(key -> {
            if (!keys.contains(key)) {
                keys.add(key);
            }
            // the first key always; the second once, so that it is owed behind the first
            return key.equals(keys.get(0))
                   || keys.size() > 1 && key.equals(keys.get(1)) && !secondFailed.getAndSet(true);
        });
        context.getRegistry().bind("repo", repository);
        context.getRegistry().bind("failures", failures);
        try (CapturedLog log = new CapturedLog()) {
            deliver(greenMail, "lee", textMessage("m1", "body 1"));
            deliver(greenMail, "lee", textMessage("m2", "body 2"));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort()
                         + "?username=lee&password=s3cret&delete=true&idempotentRepository=#repo"
                         + "&exceptionHandler=#failures&initialDelay=0&delay=100")
                            .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                    s -> new AtomicInteger()).incrementAndGet());
                }
            });
            Eventually.await(() -> routed.size() == 2 && secondFailed.get(), () -> "routed " + routed);
            Eventually.await(() -> repository.contains(keys.get(1)),
                    () -> "the key owed behind the rejected one is not recorded; log: " + log.text());
            // each routed and recorded message proves the repository up, so the rejected key's failures count
            for (int i = 3; i <= 3 + GIVE_UP_AFTER && !log.text().contains("ERROR|"); i++) {
                deliver(greenMail, "lee", textMessage("m" + i, "body " + i));
                String subject = "m" + i;
                Eventually.await(() -> routed.containsKey(subject), () -> "routed " + routed);
            }
            Eventually.await(() -> log.text().contains("ERROR|"), () -> "no ERROR giving up; log: " + log.text());
            String errors = log.text().lines().filter(l -> l.startsWith("ERROR|")).reduce("", (a, b) -> a + b + "\n");
            assertEquals(1, errors.lines().count(), errors);
            assertTrue(errors.contains(keys.get(0)) && errors.contains("may be routed again"), errors);
            context.stop();
        }
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
    }

    /**
     * The route stopped and started again (not the JVM) while the repository is down: what it routed before and could
     * not record is not routed again, the stop says with one ERROR what is still owed, and the keys are recorded once
     * the repository is back. Before, the set of keys owed was rebuilt at every start, and the stop said nothing:
     * the restarted route routed the message again, silently.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({ "imap", "pop3" })
    void aRouteRestartedWhileTheRepositoryIsDownDoesNotRouteAgainWhatItRouted(String protocol) throws Exception {
        AtomicBoolean down = new AtomicBoolean(true);
        FailingRepository repository = FailingRepository.failingFor(key -> down.get());
        context.getRegistry().bind("repo", repository);
        context.getRegistry().bind("failures", failures);
        int port = "imap".equals(protocol) ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();
        String errorsAtStop;
        try (CapturedLog log = new CapturedLog()) {
            deliver(greenMail, "lee", textMessage("m1", "body 1"));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:" + protocol + ":127.0.0.1:" + port + "?username=lee&password=s3cret"
                         + "&delete=false&markSeen=false&idempotentRepository=#repo&exceptionHandler=#failures"
                         + "&initialDelay=0&delay=100").routeId("mail")
                            .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                    s -> new AtomicInteger()).incrementAndGet());
                }
            });
            Eventually.await(() -> routed.containsKey("m1"), () -> "routed " + routed);
            context.getRouteController().stopRoute("mail");
            errorsAtStop = log.text().lines().filter(l -> l.startsWith("ERROR|")).reduce("", (a, b) -> a + b + "\n");
            context.getRouteController().startRoute("mail");
            deliver(greenMail, "lee", textMessage("m2", "body 2"));
            Eventually.await(() -> routed.containsKey("m2"), () -> "routed " + routed);
            down.set(false);
            Eventually.await(() -> repository.getCacheSize() == 2, () -> "recorded " + repository.getCacheSize());
            context.stop();
        }
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed more than once"));
        assertEquals(1, errorsAtStop.lines().count(), errorsAtStop);
        assertTrue(errorsAtStop.contains("1 routed message(s)") && errorsAtStop.contains("after a JVM restart"),
                errorsAtStop);
    }
}
