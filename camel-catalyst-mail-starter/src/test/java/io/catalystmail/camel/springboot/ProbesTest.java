package io.catalystmail.camel.springboot;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the Spring Boot guide says about Kubernetes probes, with one mailbox whose polls fail (the server refuses the
 * login): {@code /actuator/health} is DOWN and camel-spring-boot's {@code camelReadinessState} OUT_OF_SERVICE, but
 * Spring Boot's probe groups hold only its own {@code readinessState} and {@code livenessState}, so both probes stay
 * UP; a group that includes {@code camelReadinessState} (as {@code management.endpoint.health.group.readiness.include}
 * would) answers 503. {@code camelLivenessState} stays UP: the consumer's check counts for readiness only.
 */
@SpringBootTest(classes = { TestApplication.class, ProbesTest.Routes.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health",
        "management.endpoint.health.show-details=always",
        "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.group.mail.include=readinessState,camelReadinessState",
        "management.endpoint.health.group.mail.show-details=always",
        "camel.component.catalystmail.username=probes",
        "camel.component.catalystmail.password=not-the-password",
})
// closed after the class: its consumer's refused logins would otherwise go on beside the other tests' contexts
@DirtiesContext
class ProbesTest {

    @DynamicPropertySource
    static void mailServer(DynamicPropertyRegistry registry) {
        registry.add("test.imap-port", TestMailServer::imapPort);
    }

    @TestConfiguration
    static class Routes {
        @Bean
        RouteBuilder refusedMailbox() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:localhost:{{test.imap-port}}?delay=200")
                            .routeId("refused-mailbox").log("${header.Subject}");
                }
            };
        }
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void aFailingMailboxTakesNeitherProbeDownUnlessAGroupIncludesCamelReadinessState() {
        Map<String, String> components = componentStatuses(Actuator.awaitRefusedLogin(port, "refused-mailbox"));
        assertEquals("OUT_OF_SERVICE", components.get("camelReadinessState"), components::toString);
        assertEquals("UP", components.get("camelLivenessState"), components::toString);
        assertEquals("200 UP", answer("/actuator/health/readiness"));
        assertEquals("200 UP", answer("/actuator/health/liveness"));
        assertEquals("503 OUT_OF_SERVICE", answer("/actuator/health/mail"));
    }

    /** Status code and the status in the body, as a probe sees them. */
    private String answer(String path) {
        HttpResponse<String> response = Actuator.get(port, path);
        return response.statusCode() + " " + Actuator.status(response.body());
    }

    private static Map<String, String> componentStatuses(String health) {
        Map<String, String> statuses = new TreeMap<>();
        JsonObject components = (JsonObject) Actuator.health(health).get("components");
        components.forEach((name, value) -> statuses.put(name, ((JsonObject) value).getString("status")));
        return statuses;
    }
}
