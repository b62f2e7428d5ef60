package io.catalystmail.camel.springboot;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A password or token that is part of a longer value is masked too: the secrets given on the command line show up in
 * the JVM's sun.java.command (seen in a trial application: /actuator/env resolves the placeholder of
 * {@code --camel.component.catalystmail.access-token=${MAIL_TOKEN}} there), and options passed as -D flags in
 * JAVA_TOOL_OPTIONS. The user name, which the catalog marks secret as well, is masked only as a whole value: a short
 * name inside other values would hide them.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
        "management.endpoints.web.exposure.include=env,configprops",
        "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always",
        "camel.component.catalystmail.username=robot",
        "camel.component.catalystmail.password=" + SecretInsideLongerValueMaskedTest.PASSWORD,
        "camel.component.catalystmail.access-token=${MAIL_TOKEN}",
        "camel.ssl.config.trust-managers.key-store.resource=file:/etc/mail/private-ca.p12",
        "camel.ssl.config.trust-managers.key-store.password=" + SecretInsideLongerValueMaskedTest.TRUST_PASSWORD,
        "camel.component.catalystmail.from=robot@example.test",
        // what an operator would set: the token behind a variable, the secrets among other words of a launch line
        "MAIL_TOKEN=" + SecretInsideLongerValueMaskedTest.TOKEN,
        "JAVA_TOOL_OPTIONS=-Xmx512m -Dcamel.component.catalystmail.password="
                + SecretInsideLongerValueMaskedTest.PASSWORD + " -Dcamel.ssl.config.trust-managers.key-store.password="
                + SecretInsideLongerValueMaskedTest.TRUST_PASSWORD,
        "APP_LAUNCH=app.jar --camel.component.catalystmail.access-token=${MAIL_TOKEN}",
})
class SecretInsideLongerValueMaskedTest {

    static final String PASSWORD = "Pa55-inside-longer";
    static final String TOKEN = "ya29.token-inside-longer";
    static final String TRUST_PASSWORD = "Trust-inside-longer";

    /** The web server's port (Spring Boot 4 moved the @LocalServerPort annotation; the property stayed). */
    @Value("${local.server.port}")
    int port;

    @Test
    void secretsInsideLongerValuesAreMaskedAndTheUserNameOnlyWhole() {
        String env = Actuator.body(port, "/actuator/env");
        String configprops = Actuator.body(port, "/actuator/configprops");
        assertTrue(env.contains("robot@example.test") && configprops.contains("robot@example.test"),
                "a value holding the user name is shown (else nothing would be shown): " + env);
        assertTrue(env.contains("JAVA_TOOL_OPTIONS") && env.contains("APP_LAUNCH"), env);
        for (String body : new String[] { env, configprops, Actuator.body(port, "/actuator/env/JAVA_TOOL_OPTIONS"),
                Actuator.body(port, "/actuator/env/APP_LAUNCH") }) {
            for (String secret : new String[] { PASSWORD, TOKEN, TRUST_PASSWORD }) {
                assertFalse(body.contains(secret), "a secret inside a longer value leaked: " + body);
            }
        }
    }
}
