package io.catalystmail.camel.springboot;

import java.time.Duration;
import java.util.Map;

import io.catalystmail.camel.auth.AccountTag;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextConfiguration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The actuator of an application that shows values in /actuator/env and /actuator/configprops, with the password
 * given as an environment variable: it appears neither there, nor in /actuator/health, nor in the log (the access
 * token has {@link AccessTokenMaskedTest}: a token makes the login XOAUTH2, which GreenMail does not offer). Camel's consumer health check reaches /actuator/health: DOWN with the reason
 * while the server refuses the login, UP once it accepts it.
 */
@SpringBootTest(classes = { TestApplication.class, ActuatorTest.Routes.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=health,env,configprops",
        "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always",
        "management.endpoint.health.show-details=always",
        "camel.health.exposure-level=full",
        "camel.component.catalystmail.username=" + ActuatorTest.USER,
        "camel.component.catalystmail.local-host-name=${MAIL_CLIENT_NAME}",
        "camel.component.catalystmail.from=shown@example.test",
})
@ContextConfiguration(initializers = ActuatorTest.Environment.class)
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActuatorTest {

    static final String USER = "health";
    static final String PASSWORD = "Env-Pa55word-never-shown";

    /** What the operating system would hand the application: the password as an environment variable. */
    static class Environment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                    "testEnvironment", Map.of("CAMEL_COMPONENT_CATALYSTMAIL_PASSWORD", PASSWORD,
                            "MAIL_CLIENT_NAME", "client.example.test")));
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("testMailServer",
                    Map.of("test.imap-port", TestMailServer.imapPort())));
        }
    }

    @TestConfiguration
    static class Routes {
        @Bean
        RouteBuilder healthRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:localhost:{{test.imap-port}}?delay=200")
                            .routeId("health-mailbox").log("${header.Subject}");
                }
            };
        }
    }

    /** The web server's port (Spring Boot 4 moved the @LocalServerPort annotation; the property stayed). */
    @Value("${local.server.port}")
    int port;

    @Test
    @Order(1)
    void healthIsDownWithTheReasonWhileTheServerRefusesTheLoginThenUp(CapturedOutput output) throws Exception {
        String[] health = { Actuator.awaitRefusedLogin(port, "health-mailbox") };
        // the account by its tag: the user name is a secret in the catalog, and Camel masks it in the endpoint URI
        assertTrue(health[0].contains("refused LOGIN for account " + AccountTag.of(USER) + ":"),
                "the reason is shown: " + health[0]);
        assertFalse(health[0].contains(" " + USER + ":") || health[0].contains("username=" + USER),
                "the user name is shown: " + health[0]);
        assertNoSecret(health[0]);

        TestMailServer.server().setUser("health@example.test", USER, PASSWORD);
        TestMailServer.await("/actuator/health UP once the login is accepted", Duration.ofSeconds(20), () -> {
            health[0] = get("/actuator/health");
            return "UP".equals(Actuator.status(health[0]));
        });
        assertNoSecret(health[0]);
        assertNoSecret(output.getAll());
        assertTrue(output.getAll().contains("health-mailbox") || output.getAll().contains(USER),
                "the log shows the failed polls (else this check proves nothing)");
    }

    @Test
    @Order(2)
    void envShowsValuesButNotTheSecrets() {
        String env = get("/actuator/env");
        assertTrue(env.contains("shown@example.test"), "values are shown: " + env);
        assertNoSecret(env);
        assertNoSecret(get("/actuator/env/CAMEL_COMPONENT_CATALYSTMAIL_PASSWORD"));
        assertNoSecret(get("/actuator/env/camel.component.catalystmail.password"));
    }

    @Test
    @Order(3)
    void configpropsShowsValuesButNotTheSecrets() {
        String configprops = get("/actuator/configprops");
        assertTrue(configprops.contains("shown@example.test"), "values are shown: " + configprops);
        assertNoSecret(configprops);
        assertNoSecret(get("/actuator/configprops/camel.component.catalystmail"));
    }

    private static void assertNoSecret(String text) {
        assertFalse(text.contains(PASSWORD), "the password leaked: " + text);
    }

    private String get(String path) {
        return Actuator.body(port, path);
    }
}
