package io.catalystmail.camel.pop3;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.CapturedLog;
import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RFC 1939 §6: DELE only marks a message; the server removes it in the UPDATE state, after a QUIT it answers with
 * +OK. A QUIT refused with -ERR, or a connection cut before the answer, leaves the routed messages on the server:
 * the poll is reported failed, naming the server, QUIT and the answer; the messages are not routed again (with or
 * without the default UIDL store) and their deletion goes out again in the next session.
 */
class FailedQuitTest {

    private final CamelContext context = new DefaultCamelContext();
    private final CapturedExceptions failures = new CapturedExceptions();
    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    @AfterEach
    void stop() {
        context.stop();
    }

    @ParameterizedTest(name = "QUIT answered {0}, unseen={1}")
    @CsvSource(nullValues = "CUT", value = {
        "-ERR some deleted messages not removed, false",
        "-ERR some deleted messages not removed, true",
        "CUT, false",
        "CUT, true"})
    void theMessagesOfASessionWhoseQuitFailedAreReportedNotRoutedAgainAndDeletedNextTime(String quitReply,
            boolean unseen) throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            for (int i = 1; i <= 3; i++) {
                server.add("u" + i, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
            }
            server.failQuit(1, quitReply).start();
            context.getRegistry().bind("failures", failures);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                         + "&delete=true&unseen=" + unseen + "&initialDelay=0&delay=100&readTimeout=5000"
                         + "&exceptionHandler=#failures")
                            .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                    s -> new AtomicInteger()).incrementAndGet());
                }
            });
            context.start();

            Throwable failure = failures.next(Duration.ofSeconds(30));
            Eventually.await(() -> server.maildropUidls().isEmpty() && server.commands().stream()
                    .filter(c -> c.equals("QUIT")).count() >= 3,
                    () -> "left " + server.maildropUidls() + ", commands " + server.commands());
            // the failed QUIT's deletions are not counted as applied; the retried ones are, once their QUIT is answered
            MailboxStatistics statistics = ((CatalystMailEndpoint) context.getRoutes().get(0).getEndpoint())
                    .mailboxStatistics();
            Eventually.await(() -> !statistics.actionsApplied().isEmpty(), () -> "nothing counted as applied");
            context.stop();
            assertEquals(Map.of("deleted", 3L), statistics.actionsApplied());

            Pop3QuitFailedException quit = assertInstanceOf(Pop3QuitFailedException.class, failure);
            String prefix = "POP3 server 127.0.0.1:" + server.port() + (quitReply == null ? " did not answer QUIT ("
                    : " answered QUIT with " + quitReply + "; ");
            assertTrue(quit.getMessage().startsWith(prefix) && quit.getMessage().contains(
                    "the 3 message(s) DELE marked in this session may still be on the server"), quit.getMessage());
            assertEquals(Map.of("m1", 1, "m2", 1, "m3", 1), Map.copyOf(routed.entrySet().stream().collect(
                    java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()))));
            // the second session deletes the three again, and its QUIT (answered +OK) removes them
            List<String> commands = server.commands();
            int secondQuit = commands.indexOf("QUIT") + 1 + commands.subList(commands.indexOf("QUIT") + 1,
                    commands.size()).indexOf("QUIT");
            assertTrue(commands.subList(commands.indexOf("QUIT") + 1, secondQuit).containsAll(
                    List.of("DELE 1", "DELE 2", "DELE 3")), "commands " + commands);
            assertEquals(List.of(), server.errors());
        }
    }

    /**
     * A message number holds for one session only (RFC 1939 §4): when a message whose deletion is owed is gone by the
     * next session (another client took it), its old number names another message, here one whose route fails. The
     * owed deletion is forgotten, never sent by that number: the other message stays on the server.
     */
    @Test
    void anOwedDeletionWhoseMessageIsGoneIsForgottenNotSentByItsOldNumber() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            server.add("u1", "Subject: m1\r\n\r\nbody 1\r\n");
            server.failQuit(1, "-ERR some deleted messages not removed").start();
            // called on the polling thread when the first poll fails, before the second: u1 goes, u2 takes number 1
            CapturedExceptions changingMaildrop = new CapturedExceptions(exception -> {
                if (exception instanceof Pop3QuitFailedException && server.maildropUidls().contains("u1")) {
                    server.remove("u1").add("u2", "Subject: m2\r\n\r\nbody 2\r\n");
                }
            });
            context.getRegistry().bind("failures", changingMaildrop);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                         + "&delete=true&unseen=false&initialDelay=0&delay=100&readTimeout=5000"
                         + "&exceptionHandler=#failures")
                            .process(e -> {
                                String subject = e.getMessage().getHeader("Subject", String.class);
                                routed.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
                                if ("m2".equals(subject)) {
                                    throw new IllegalStateException("m2 fails in the route (thrown by the test)");
                                }
                            });
                }
            });
            context.start();

            assertInstanceOf(Pop3QuitFailedException.class, changingMaildrop.next(Duration.ofSeconds(30)));
            // m2 routed twice: the session after the failed QUIT ended without removing it
            Eventually.await(() -> routed.containsKey("m2") && routed.get("m2").get() >= 2,
                    () -> "routed " + routed + ", left " + server.maildropUidls() + ", commands " + server.commands());
            context.stop();

            assertEquals(List.of("u2"), server.maildropUidls());
            List<String> commands = server.commands();
            assertEquals(List.of("DELE 1"), commands.stream().filter(c -> c.startsWith("DELE")).toList(),
                    "only the first session's DELE of m1: " + commands);
            assertEquals(1, routed.get("m1").get());
            assertEquals(List.of(), server.errors());
        }
    }

    /**
     * Only a listing of the whole maildrop shows that a message is gone. Here the message whose deletion is owed is
     * still there, but beyond the listing's cut (maxListedMessages=1, another message now comes first): it stays
     * remembered, so the session that lists it again deletes it instead of routing it a second time.
     */
    @Test
    void anOwedDeletionOfAMessageBeyondACutListingIsKeptNotForgotten() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server()) {
            server.add("u1", "Subject: m1\r\n\r\nbody 1\r\n");
            server.failQuit(1, "-ERR some deleted messages not removed").start();
            // on the polling thread, before the second poll: u0 arrives in front of u1, which becomes number 2
            CapturedExceptions changingMaildrop = new CapturedExceptions(exception -> {
                if (exception instanceof Pop3QuitFailedException && !server.maildropUidls().contains("u0")) {
                    server.remove("u1").add("u0", "Subject: m0\r\n\r\nbody 0\r\n").add("u1",
                            "Subject: m1\r\n\r\nbody 1\r\n");
                }
            });
            context.getRegistry().bind("failures", changingMaildrop);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                         + "&delete=true&unseen=false&maxListedMessages=1&initialDelay=0&delay=100&readTimeout=5000"
                         + "&exceptionHandler=#failures")
                            .process(e -> routed.computeIfAbsent(e.getMessage().getHeader("Subject", String.class),
                                    s -> new AtomicInteger()).incrementAndGet());
                }
            });
            context.start();

            assertInstanceOf(Pop3QuitFailedException.class, changingMaildrop.next(Duration.ofSeconds(30)));
            Eventually.await(() -> server.maildropUidls().isEmpty(),
                    () -> "routed " + routed + ", left " + server.maildropUidls() + ", commands " + server.commands());
            context.stop();

            assertEquals(1, routed.get("m1").get(), () -> "m1 routed again; commands " + server.commands());
            assertEquals(1, routed.get("m0").get());
            assertEquals(List.of(), server.errors());
        }
    }

    /** A failed QUIT concerns every message of the poll: one WARN for all of them, each one's detail at DEBUG. */
    @Test
    void aFailedQuitAfterManyDeletionsIsOneWarningNamingTheServerAndTheFirstMessages() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server(); CapturedLog log = new CapturedLog()) {
            routeTwelveMessagesWhoseFirstQuitFails(server, "");
            failures.next(Duration.ofSeconds(30));
            Eventually.await(() -> server.maildropUidls().isEmpty(), () -> "left " + server.maildropUidls());
            context.stop();

            List<String> warnings = unfinishedActionsLines(log, "WARN");
            assertEquals(1, warnings.size(), () -> "one WARN for the poll, got " + warnings);
            String warning = warnings.get(0);
            assertTrue(warning.contains("After-processing of 12 message(s) routed in this poll was not confirmed by the"
                    + " server: POP3 server 127.0.0.1:" + server.port() + " answered QUIT with -ERR"), warning);
            assertTrue(warning.contains("The first 5: UIDL u1 (delete, attempt 1 of "), warning);
            assertFalse(warning.contains("UIDL u6") || warning.contains("s3cret"), warning);
            assertEquals(12, unfinishedActionsLines(log, "DEBUG").stream()
                    .filter(l -> l.contains("failed (attempt 1 of ")).count(), log::text);
        }
    }

    /**
     * With one attempt, a failed QUIT gives up every deletion of the poll at once: one ERROR naming the server, the
     * command, the action and the first five messages; each message's line at DEBUG, never one ERROR per message.
     */
    @Test
    void attemptsRunOutForManyMessagesAtOnceIsOneErrorNamingTheServerTheActionAndTheFirstMessages() throws Exception {
        try (ScriptedPop3Server server = new ScriptedPop3Server(); CapturedLog log = new CapturedLog()) {
            routeTwelveMessagesWhoseFirstQuitFails(server, "&afterProcessingAttempts=1");
            failures.next(Duration.ofSeconds(30));
            Eventually.await(() -> log.text().contains("Giving up"), log::text);
            context.stop();

            List<String> errors = unfinishedActionsLines(log, "ERROR");
            assertEquals(1, errors.size(), () -> "one ERROR for the poll, got " + errors);
            String error = errors.get(0);
            assertTrue(error.contains("Giving up the after-processing of 12 message(s) after 1 failed attempts each,"
                    + " the first failing last with: POP3 server 127.0.0.1:" + server.port() + " answered QUIT with"
                    + " -ERR"), error);
            assertTrue(error.contains("The first 5: UIDL u1 (delete), UIDL u2 (delete)"), error);
            assertFalse(error.contains("UIDL u6") || error.contains("s3cret"), error);
            assertEquals(12, unfinishedActionsLines(log, "DEBUG").stream()
                    .filter(l -> l.contains("Giving up the after-processing of message UIDL u")).count(), log::text);
        }
    }

    /** Twelve messages, the first session's QUIT refused, a route deleting them with {@code options} added. */
    private void routeTwelveMessagesWhoseFirstQuitFails(ScriptedPop3Server server, String options) throws Exception {
        for (int i = 1; i <= 12; i++) {
            server.add("u" + i, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
        }
        server.failQuit(1, "-ERR some deleted messages not removed").start();
        context.getRegistry().bind("failures", failures);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                     + "&delete=true&initialDelay=0&delay=100&readTimeout=5000&exceptionHandler=#failures" + options)
                        .log("routed");
            }
        });
        context.start();
    }

    private static List<String> unfinishedActionsLines(CapturedLog log, String level) {
        return log.text().lines().filter(l -> l.startsWith(level + "|io.catalystmail.camel.UnfinishedActions|")).toList();
    }
}
