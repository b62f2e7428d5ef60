package io.catalystmail.camel.springboot;

import io.catalystmail.camel.CatalystMailConfiguration;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * /actuator/configprops of an application that names beans for the bean-typed options, as the Spring Boot guide
 * shows, and shows values. It listed the beans' insides: an {@code SSLContextParameters} made the whole
 * {@code camel.component.catalystmail} entry an error ("Cannot serialize"), an in-memory idempotent repository showed
 * every message key it holds (with the user name in each), and a {@code configuration} bean showed the password it
 * carries in clear. The options the application wrote are still shown, and /actuator/env still shows the
 * references.
 */
@SpringBootTest(classes = { TestApplication.class, BeanOptionsInConfigpropsTest.Beans.class },
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "management.endpoints.web.exposure.include=env,configprops",
        "management.endpoint.env.show-values=always",
        "management.endpoint.configprops.show-values=always",
        "camel.component.catalystmail.configuration=#sharedMail",
        "camel.component.catalystmail.ssl-context-parameters=#mailTls",
        "camel.component.catalystmail.idempotent-repository=#seenMail",
        "camel.component.catalystmail.read-timeout=90s",
        "camel.component.catalystmail.from=shown@example.test",
})
class BeanOptionsInConfigpropsTest {

    static final String BEAN_PASSWORD = "Held-by-the-bean-only";
    static final String SEEN_KEY = "imap://mailbox-owner@mail.example.test:143/INBOX;UIDVALIDITY=7/;UID=1";

    @TestConfiguration
    static class Beans {
        @Bean
        SSLContextParameters mailTls() {
            return new SSLContextParameters();
        }

        @Bean
        IdempotentRepository seenMail() {
            IdempotentRepository repository = MemoryIdempotentRepository.memoryIdempotentRepository();
            repository.add(SEEN_KEY);
            return repository;
        }

        @Bean
        CatalystMailConfiguration sharedMail() {
            CatalystMailConfiguration configuration = new CatalystMailConfiguration();
            configuration.setPassword(BEAN_PASSWORD);
            return configuration;
        }
    }

    @Value("${local.server.port}")
    int port;

    @Test
    void theComponentsEntryShowsItsOptionsButNotTheBeansInsides() throws Exception {
        String configprops = Actuator.body(port, "/actuator/configprops/camel.component.catalystmail");
        JsonObject entry = component((JsonObject) Jsoner.deserialize(configprops));
        assertNotNull(entry, "no camel.component.catalystmail entry: " + configprops);
        JsonObject properties = entry.getMap("properties");
        assertFalse(properties.containsKey("error"), "the entry is an error: " + properties);
        assertEquals("shown@example.test", properties.getString("from"), configprops);
        assertEquals("PT1M30S", properties.getString("readTimeout"), configprops);
        assertFalse(configprops.contains(BEAN_PASSWORD), "the configuration bean's password leaked: " + configprops);
        assertFalse(configprops.contains("mailbox-owner"), "the repository's keys are shown: " + configprops);
        String env = Actuator.body(port, "/actuator/env/camel.component.catalystmail.ssl-context-parameters");
        assertFalse(env.isEmpty() || !env.contains("#mailTls"), "the reference is shown in /actuator/env: " + env);
    }

    /** The component's entry among the contexts of a configprops answer (its bean name differs between lines). */
    private static JsonObject component(JsonObject answer) {
        for (Object context : answer.getMap("contexts").values()) {
            JsonObject beans = ((JsonObject) context).getMap("beans");
            for (var bean : beans.entrySet()) {
                if (bean.getKey().startsWith("camel.component.catalystmail-")) {
                    return (JsonObject) bean.getValue();
                }
            }
        }
        return null;
    }
}
