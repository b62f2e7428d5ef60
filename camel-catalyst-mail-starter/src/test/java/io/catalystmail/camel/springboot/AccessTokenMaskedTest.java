package io.catalystmail.camel.springboot;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextConfiguration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The access token, given through a placeholder whose environment variable has a name of the application's
 * choosing, is masked in /actuator/env (under that variable too) and /actuator/configprops, which show values.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
        "management.endpoints.web.exposure.include=env,configprops",
        "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always",
        "camel.component.catalystmail.username=app",
        "camel.component.catalystmail.access-token=${MAIL_TOKEN}",
        "camel.component.catalystmail.from=shown@example.test",
})
@ContextConfiguration(initializers = AccessTokenMaskedTest.Environment.class)
class AccessTokenMaskedTest {

    static final String TOKEN = "ya29.token-never-shown";

    static class Environment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(
                    new SystemEnvironmentPropertySource("testEnvironment", Map.of("MAIL_TOKEN", TOKEN)));
        }
    }

    /** The web server's port (Spring Boot 4 moved the @LocalServerPort annotation; the property stayed). */
    @Value("${local.server.port}")
    int port;

    @Test
    void theTokenIsMaskedWhereValuesAreShown() {
        String env = Actuator.body(port, "/actuator/env");
        String configprops = Actuator.body(port, "/actuator/configprops");
        assertTrue(env.contains("shown@example.test") && configprops.contains("shown@example.test"),
                "values are shown (else this test proves nothing)");
        for (String body : new String[] { env, configprops, Actuator.body(port, "/actuator/env/MAIL_TOKEN"),
                Actuator.body(port, "/actuator/env/camel.component.catalystmail.access-token") }) {
            assertFalse(body.contains(TOKEN), "the access token leaked: " + body);
        }
    }
}
