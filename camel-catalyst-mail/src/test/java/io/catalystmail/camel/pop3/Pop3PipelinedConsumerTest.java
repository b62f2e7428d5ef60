package io.catalystmail.camel.pop3;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.catalystmail.camel.testsupport.Eventually;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The consumer over a server that pipelines: round r+2's RETRs go out while round r is routed, DELEs of routed
 * messages behind them; a connection lost in the middle removes nothing and routes nothing twice.
 */
class Pop3PipelinedConsumerTest extends CamelTestSupport {

    private ScriptedPop3Server server;
    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();

    @org.junit.jupiter.api.BeforeEach
    void newServer() throws Exception {
        server = new ScriptedPop3Server();
    }

    @AfterEach
    void closeServer() throws Exception {
        server.close();
    }

    private void consume() throws Exception {
        String uri = "catalystmail:pop3:127.0.0.1:" + server.port() + "?username=anna&password=RAW(s3cret!)"
                     + "&initialDelay=0&delay=100&readTimeout=5000&fetchRoundSize=2&delete=true";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(e -> routed.computeIfAbsent(
                        e.getMessage().getHeader("Subject", String.class), s -> new AtomicInteger()).incrementAndGet());
            }
        });
    }

    @Test
    void aConnectionCutAtTheDelesBehindARoundSentAheadRemovesNothingAndRoutesNothingTwice() throws Exception {
        for (int i = 1; i <= 6; i++) {
            server.add("u" + i, "Subject: m" + i + "\r\n\r\nbody " + i + "\r\n");
        }
        server.cutOn("DELE").start();
        consume();
        Eventually.await(() -> server.commands().contains("DELE 1"), () -> "commands " + server.commands());
        List<String> firstSession = server.commands();
        server.cutOn(null);
        Eventually.await(() -> routed.size() == 6 && server.maildropUidls().isEmpty(),
                () -> "routed " + routed + ", left " + server.maildropUidls());
        context.stop();
        routed.forEach((subject, times) -> assertEquals(1, times.get(), subject + " routed " + times + " times"));
        // round 3 was asked for while round 1 was routed, before round 1's DELEs went out behind it
        assertTrue(firstSession.indexOf("RETR 6") >= 0 && firstSession.indexOf("RETR 6") < firstSession.indexOf(
                "DELE 1"), "first session: " + firstSession);
        assertTrue(!firstSession.contains("QUIT"), "no QUIT after the cut: " + firstSession);
        assertEquals(List.of(), server.errors());
    }
}
