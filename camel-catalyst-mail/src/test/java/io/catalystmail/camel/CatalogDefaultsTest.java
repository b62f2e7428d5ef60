package io.catalystmail.camel;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every default the catalog (and so the docs, IDEs and Spring Boot metadata) announces is the value a freshly
 * created endpoint and component really have.
 */
class CatalogDefaultsTest extends CamelTestSupport {

    @Test
    void everyCatalogDefaultIsTheRuntimeValue() throws Exception {
        JsonObject catalog;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json")) {
            assertNotNull(in, "catalog JSON missing");
            catalog = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        CatalystMailEndpoint endpoint = context.getEndpoint("catalystmail:imap:mail.example.test",
                CatalystMailEndpoint.class);
        CatalystMailComponent component = context.getComponent("catalystmail", CatalystMailComponent.class);
        List<String> wrong = new ArrayList<>();
        // the endpoint leaves initialDelay at -1, "the consumer's default": compare what a consumer gets
        org.apache.camel.support.ScheduledPollConsumer consumer =
                (org.apache.camel.support.ScheduledPollConsumer) endpoint.createConsumer(exchange -> { });
        PropertyConfigurerGetter endpointGetter = new CatalystMailEndpointConfigurer();
        PropertyConfigurerGetter withConsumerDefaults = (PropertyConfigurerGetter) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] { PropertyConfigurerGetter.class }, (proxy, method, args) -> {
                    if (method.getName().equals("getOptionValue") && "initialDelay".equals(args[1])) {
                        return consumer.getInitialDelay();
                    }
                    return method.invoke(endpointGetter, args);
                });
        compare(catalog.getMap("properties"), withConsumerDefaults, endpoint, wrong);
        compare(catalog.getMap("componentProperties"), new CatalystMailComponentConfigurer(), component, wrong);
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void delayIsADurationAtRuntimeToo() {
        assertTrue(context.getEndpoint("catalystmail:imap:mail.example.test?delay=5s", CatalystMailEndpoint.class)
                .getDelay() == 5000, "delay=5s is 5000 ms");
    }

    private static void compare(Map<String, Object> properties, PropertyConfigurerGetter getter, Object target,
            List<String> wrong) {
        int compared = 0;
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            JsonObject option = (JsonObject) e.getValue();
            Object declared = option.get("defaultValue");
            if (declared == null || !"parameter".equals(option.getString("kind")) && !"property".equals(option.getString("kind"))) {
                continue;
            }
            Object actual = getter.getOptionValue(target, e.getKey(), false);
            if ("object".equals(option.getString("type"))) {
                // a named bean or mode ("none" scheduler): nothing is set until asked for
                if (actual != null && !declared.equals(actual)) {
                    wrong.add(e.getKey() + ": catalog default " + declared + ", runtime object " + actual);
                }
                continue;
            }
            compared++;
            if (actual == null || !normalise(declared).equals(normalise(actual))) {
                wrong.add(e.getKey() + ": catalog says " + declared + ", a new " + target.getClass().getSimpleName()
                          + " has " + actual);
            }
        }
        assertTrue(compared > 10, "compared only " + compared + " defaults");
    }

    private static String normalise(Object value) {
        if (value instanceof java.time.Duration d) {
            return Long.toString(d.toMillis());
        }
        if (value instanceof Enum<?> en) {
            return en.name().toLowerCase(java.util.Locale.ROOT);
        }
        return value.toString().toLowerCase(java.util.Locale.ROOT);
    }
}
