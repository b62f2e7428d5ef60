package io.catalystmail.camel.springboot;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMailUtil;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Spring Boot guide says about health right after a start: a consumer's check is DOWN ("Consumer has not
 * yet polled") until its first poll has ended, however well that poll goes, so a start with a backlog answers 503
 * for the whole first poll (14 to 17 s for 500 messages in an outside trial on Dovecot). The first poll is held here
 * by a route that waits with the first message.
 */
@SpringBootTest(classes = { TestApplication.class, FirstPollHealthTest.Routes.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "camel.health.exposure-level=full",
        "test.mailbox=firstpoll",
})
@DirtiesContext
class FirstPollHealthTest {

    /** Per mailbox: counted down when the first message is in the route, and what lets it go on. */
    static final Map<String, CountDownLatch> IN_ROUTE = new ConcurrentHashMap<>();
    static final Map<String, CountDownLatch> RELEASE = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void mailbox(DynamicPropertyRegistry registry) {
        oneMessageWaitingFor("firstpoll", registry);
    }

    /** A user of the test server with one message in its inbox, and the component logged in as that user. */
    static void oneMessageWaitingFor(String login, DynamicPropertyRegistry registry) {
        String address = login + "@example.test";
        TestMailServer.server().setUser(address, login, TestMailServer.PASSWORD);
        GreenMailUtil.sendTextEmail(address, "sender@example.test", "backlog", "the first poll's message",
                TestMailServer.server().getSmtp().getServerSetup());
        IN_ROUTE.put(login, new CountDownLatch(1));
        RELEASE.put(login, new CountDownLatch(1));
        registry.add("test.imap-port", TestMailServer::imapPort);
        registry.add("camel.component.catalystmail.username", () -> login);
        registry.add("camel.component.catalystmail.password", () -> TestMailServer.PASSWORD);
    }

    @TestConfiguration
    static class Routes {
        @Bean
        RouteBuilder slowFirstPoll(@Value("${test.mailbox}") String mailbox) {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:localhost:{{test.imap-port}}?delay=200&delete=true").routeId("backlog")
                            .process(exchange -> {
                                IN_ROUTE.get(mailbox).countDown();
                                assertTrue(RELEASE.get(mailbox).await(30, TimeUnit.SECONDS), "never released");
                            });
                }
            };
        }
    }

    @Value("${local.server.port}")
    int port;

    @AfterEach
    void release() {
        RELEASE.get("firstpoll").countDown();
    }

    @Test
    void aStartedConsumerIsDownUntilItsFirstPollHasEnded() throws Exception {
        assertTrue(IN_ROUTE.get("firstpoll").await(20, TimeUnit.SECONDS), "the first message never reached the route");
        String during = Actuator.body(port, "/actuator/health");
        assertEquals("DOWN", Actuator.status(during), during);
        JsonObject camel = (JsonObject) ((JsonObject) ((JsonObject) Actuator.health(during).get("components"))
                .get("camelHealth")).get("details");
        assertEquals("DOWN", camel.getString("consumer:backlog"), during);
        // no failed poll: DOWN only for not having polled yet (the log says "Consumer has not yet polled")
        assertEquals("0", ((JsonObject) camel.get("consumer:backlog.data")).getString("failure.error.count"), during);

        RELEASE.get("firstpoll").countDown();
        TestMailServer.await("/actuator/health UP after the first poll", Duration.ofSeconds(20),
                () -> "UP".equals(Actuator.status(Actuator.body(port, "/actuator/health"))));
    }
}
