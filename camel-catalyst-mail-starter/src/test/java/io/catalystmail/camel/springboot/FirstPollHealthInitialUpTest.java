package io.catalystmail.camel.springboot;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guide's remedy for {@link FirstPollHealthTest}: {@code camel.health.initial-state: up} keeps a started consumer
 * UP while its first poll runs; a first poll that fails still makes it DOWN (tried on Dovecot stopped at the start).
 */
@SpringBootTest(classes = { TestApplication.class, FirstPollHealthTest.Routes.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "camel.health.exposure-level=full",
        "camel.health.initial-state=up",
        "test.mailbox=firstpollup",
})
@DirtiesContext
class FirstPollHealthInitialUpTest {

    @DynamicPropertySource
    static void mailbox(DynamicPropertyRegistry registry) {
        FirstPollHealthTest.oneMessageWaitingFor("firstpollup", registry);
    }

    @Value("${local.server.port}")
    int port;

    @AfterEach
    void release() {
        FirstPollHealthTest.RELEASE.get("firstpollup").countDown();
    }

    @Test
    void withInitialStateUpAStartedConsumerIsUpWhileItsFirstPollRuns() throws Exception {
        assertTrue(FirstPollHealthTest.IN_ROUTE.get("firstpollup").await(20, TimeUnit.SECONDS),
                "the first message never reached the route");
        String during = Actuator.body(port, "/actuator/health");
        assertEquals("UP", Actuator.status(during), during);

        FirstPollHealthTest.RELEASE.get("firstpollup").countDown();
        TestMailServer.await("/actuator/health UP after the first poll", Duration.ofSeconds(20),
                () -> "UP".equals(Actuator.status(Actuator.body(port, "/actuator/health"))));
    }
}
