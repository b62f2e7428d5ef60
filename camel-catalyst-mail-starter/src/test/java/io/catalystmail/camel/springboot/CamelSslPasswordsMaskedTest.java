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
 * The Spring Boot guide's client certificate and private trust store under Camel's own camel.ssl.config: their
 * passwords, given in application properties, through a placeholder and as an environment variable, are masked in
 * /actuator/env and /actuator/configprops of an application that shows values there (Spring Boot itself masks
 * nothing then, and camel-spring-boot brings no sanitizer for camel.ssl).
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
        "management.endpoints.web.exposure.include=env,configprops",
        "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always",
        "camel.ssl.config.key-managers.key-store.resource=file:/etc/mail/client.p12",
        "camel.ssl.config.key-managers.key-store.type=PKCS12",
        "camel.ssl.config.key-managers.key-store.password=${CLIENT_STORE_SECRET}",
        "camel.ssl.config.key-managers.key-password=" + CamelSslPasswordsMaskedTest.KEY_PASSWORD,
        "camel.ssl.config.trust-managers.key-store.resource=file:/etc/mail/private-ca.p12",
        "camel.component.catalystmail.use-global-ssl-context-parameters=true",
        "camel.component.catalystmail.from=shown@example.test",
})
@ContextConfiguration(initializers = CamelSslPasswordsMaskedTest.Environment.class)
class CamelSslPasswordsMaskedTest {

    static final String STORE_PASSWORD = "Store-Pa55-never-shown";
    static final String KEY_PASSWORD = "Key-Pa55-never-shown";
    static final String TRUST_PASSWORD = "Trust-Pa55-never-shown";

    /** What the operating system would hand the application: two of the passwords as environment variables. */
    static class Environment implements ApplicationContextInitializer<ConfigurableApplicationContext> {
        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                    "testEnvironment", Map.of("CLIENT_STORE_SECRET", STORE_PASSWORD,
                            "CAMEL_SSL_CONFIG_TRUSTMANAGERS_KEYSTORE_PASSWORD", TRUST_PASSWORD)));
        }
    }

    /** The web server's port (Spring Boot 4 moved the @LocalServerPort annotation; the property stayed). */
    @Value("${local.server.port}")
    int port;

    @Test
    void camelsKeyStoreKeyAndTrustStorePasswordsAreMaskedWhereValuesAreShown() {
        String env = Actuator.body(port, "/actuator/env");
        String configprops = Actuator.body(port, "/actuator/configprops");
        assertTrue(env.contains("file:/etc/mail/client.p12") && configprops.contains("file:/etc/mail/client.p12"),
                "camel.ssl values are shown (else this test proves nothing): " + configprops);
        assertTrue(configprops.contains("shown@example.test"), "values are shown: " + configprops);
        for (String body : new String[] { env, configprops, Actuator.body(port, "/actuator/configprops/camel.ssl"),
                Actuator.body(port, "/actuator/env/CLIENT_STORE_SECRET"),
                Actuator.body(port, "/actuator/env/CAMEL_SSL_CONFIG_TRUSTMANAGERS_KEYSTORE_PASSWORD"),
                Actuator.body(port, "/actuator/env/camel.ssl.config.key-managers.key-password"),
                Actuator.body(port, "/actuator/env/camel.ssl.config.key-managers.key-store.password") }) {
            for (String secret : new String[] { STORE_PASSWORD, KEY_PASSWORD, TRUST_PASSWORD }) {
                assertFalse(body.contains(secret), "a camel.ssl password leaked: " + body);
            }
        }
    }
}
