package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.PoolWaiters;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * maxConnections: concurrent exchanges share at most that many SMTP connections, wait for a busy one to come
 * free, and fail naming the server when none does in time. The peer holds its reply to each final dot, so the
 * exchanges really overlap.
 */
class SmtpConnectionLimitTest extends CamelTestSupport {

    private static long waitingForAConnection() {
        return PoolWaiters.count();
    }

    private static String uri(int port, String options) {
        return "catalystmail:smtp:127.0.0.1:" + port + "?from=sender@example.com&to=rcpt@example.com&" + options;
    }

    @Test
    void aBurstOfConcurrentExchangesNeverOpensMoreThanMaxConnectionsAndLosesNone() throws Exception {
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(20);
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            peer.holdReplies();
            String uri = uri(peer.port(), "maxConnections=3");
            AtomicInteger started = new AtomicInteger();
            List<CompletableFuture<Exchange>> sends = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                int n = i;
                sends.add(CompletableFuture.supplyAsync(() -> {
                    started.incrementAndGet();
                    return template.send(uri, e -> e.getIn().setBody("message " + n));
                }, senders));
            }
            // three messages wait for their replies and the other senders for a connection; a pool without a bound
            // would have given each sender a connection of its own, as none can finish while the replies are held
            Eventually.await(() -> peer.waitingForReply() == 3 && waitingForAConnection() == 17,
                    () -> started.get() + " started, " + peer.waitingForReply() + " waiting for a reply, "
                          + waitingForAConnection() + " for a connection, " + peer.connections() + " connections");
            peer.releaseReplies();
            for (CompletableFuture<Exchange> send : sends) {
                Exchange done = send.get(60, TimeUnit.SECONDS);
                assertNull(done.getException());
            }
            assertEquals(20, peer.messages(), "every message was sent");
            assertTrue(peer.peakOpen() <= 3, "at most 3 connections at once, saw " + peer.peakOpen());
            assertTrue(peer.connections() <= 3, "connections are reused, not replaced: " + peer.connections());
        } finally {
            senders.shutdownNow();
        }
    }

    @Test
    void anExchangeThatFindsEveryConnectionBusyGetsTheOneGivenBack() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            peer.holdReplies();
            String uri = uri(peer.port(), "maxConnections=1");
            CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> template.send(uri,
                    e -> e.getIn().setBody("first")));
            Eventually.await(() -> peer.waitingForReply() == 1, () -> "the first message never reached its final dot");
            CompletableFuture<Exchange> second = CompletableFuture.supplyAsync(() -> template.send(uri,
                    e -> e.getIn().setBody("second")));
            Eventually.await(() -> waitingForAConnection() == 1,
                    () -> "the second exchange does not wait for the busy connection; connections: " + peer.connections());
            peer.releaseReplies();
            assertNull(first.get(60, TimeUnit.SECONDS).getException());
            assertNull(second.get(60, TimeUnit.SECONDS).getException());
            assertEquals(2, peer.messages());
            assertEquals(1, peer.connections(), "the second message went over the first one's connection");
        }
    }

    @Test
    void waitingLongerThanConnectTimeoutFailsNamingTheServerAndSendsNothing() throws Exception {
        try (AnsweringSmtpPeer peer = new AnsweringSmtpPeer()) {
            peer.holdReplies();
            String uri = uri(peer.port(), "maxConnections=1&connectTimeout=300");
            CompletableFuture<Exchange> first = CompletableFuture.supplyAsync(() -> template.send(uri,
                    e -> e.getIn().setBody("first")));
            Eventually.await(() -> peer.waitingForReply() == 1, () -> "the first message never reached its final dot");

            Exchange second = template.send(uri, e -> e.getIn().setBody("second"));

            assertNotNull(second.getException());
            String message = second.getException().getMessage();
            assertTrue(message.contains("smtp://127.0.0.1:" + peer.port()) && message.contains("maxConnections"),
                    message);
            peer.releaseReplies();
            assertNull(first.get(60, TimeUnit.SECONDS).getException());
            assertEquals(1, peer.messages(), "only the first message was sent");
            assertEquals(1, peer.connections());
        }
    }
}
