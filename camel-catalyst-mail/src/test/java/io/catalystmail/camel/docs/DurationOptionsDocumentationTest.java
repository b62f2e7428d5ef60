package io.catalystmail.camel.docs;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.catalystmail.camel.CatalystMailEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The duration options (catalog type "duration") are long fields in milliseconds that a URI also sets with Camel's
 * durations (30s, 2m), and that the starter shows as java.time.Duration (application.yaml: 30s). Their descriptions,
 * which the catalog, the options page and the starter's metadata all show, say both forms, and the form they give
 * binds through a URI.
 */
class DurationOptionsDocumentationTest {

    /** Ends each description: the example is a whole number of seconds, minutes or hours. */
    private static final Pattern BOTH_FORMS = Pattern.compile("[Mm]illiseconds, or a duration such as (\\d+)([smh])\\.");

    @Test
    void eachDurationOptionSaysItTakesMillisecondsOrADurationAndADurationOfThatFormBindsThroughAUri() throws Exception {
        JsonObject catalog;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json")) {
            assertNotNull(in, "catalog JSON missing: build with the camel-component-maven-plugin");
            catalog = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> properties = (Map<String, Object>) catalog.get("properties");
        List<String> checked = new ArrayList<>();
        try (CamelContext context = new DefaultCamelContext()) {
            context.start();
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                JsonObject option = (JsonObject) e.getValue();
                // initialDelay is Camel's own option of every scheduled consumer, with Camel's text
                if (!"duration".equals(option.getString("type")) || e.getKey().equals("initialDelay")) {
                    continue;
                }
                String description = option.getString("description");
                assertFalse(description.startsWith("Milliseconds"), e.getKey() + ": " + description);
                Matcher example = BOTH_FORMS.matcher(description);
                assertTrue(example.find(), e.getKey() + " does not say it takes a duration: " + description);
                // one more than the example, so the value bound cannot be the default
                long amount = Long.parseLong(example.group(1)) + 1;
                long unit = switch (example.group(2)) {
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    default -> 3_600_000L;
                };
                CatalystMailEndpoint endpoint = context.getEndpoint("catalystmail:imap:mail.example.org?" + e.getKey()
                        + "=" + amount + example.group(2), CatalystMailEndpoint.class);
                Object bound = e.getKey().equals("delay") ? endpoint.getDelay() : PluginHelper.getBeanIntrospection(
                        context).getOrElseProperty(endpoint.getConfiguration(), e.getKey(), null, false);
                assertEquals(amount * unit, bound, e.getKey() + "=" + amount + example.group(2));
                checked.add(e.getKey());
            }
        }
        assertTrue(checked.containsAll(List.of("connectTimeout", "readTimeout", "loginTimeout", "fetchTimeout",
                "idleRenewInterval", "idleTimeout", "sendTimeout", "delay")), "checked " + checked);
    }
}
