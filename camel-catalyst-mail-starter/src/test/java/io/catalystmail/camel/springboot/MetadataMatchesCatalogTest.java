package io.catalystmail.camel.springboot;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The starter's metadata and configuration class against the component's catalog JSON: one property per component
 * option, no other, each with the catalog's description and default and a type that binds. The build generates
 * both from the catalog; this fails when they drift apart (a stale starter jar, a generator that drops an option).
 */
class MetadataMatchesCatalogTest {

    private static final Set<String> STARTER_OWN = Set.of(StarterMetadata.PREFIX + ".enabled",
            StarterMetadata.PREFIX + ".customizer.enabled");

    @Test
    void everyCatalogOptionIsAPropertyAndNothingElseIs() throws Exception {
        Map<String, Object> options = StarterMetadata.catalog().getMap("componentProperties");
        Set<String> expected = options.keySet().stream().map(StarterMetadata::propertyName)
                .collect(Collectors.toCollection(TreeSet::new));
        expected.addAll(STARTER_OWN);
        assertEquals(expected, new TreeSet<>(StarterMetadata.properties().keySet()));
    }

    @Test
    void descriptionsDefaultsAndTypesAreTheCatalogs() throws Exception {
        Map<String, Object> options = StarterMetadata.catalog().getMap("componentProperties");
        Map<String, JsonObject> properties = StarterMetadata.properties();
        for (Map.Entry<String, Object> entry : options.entrySet()) {
            JsonObject option = (JsonObject) entry.getValue();
            JsonObject property = properties.get(StarterMetadata.propertyName(entry.getKey()));
            String name = entry.getKey();
            assertEquals(option.getString("description"), property.getString("description"), name);
            assertEquals(normalDefault(option.getString("type"), option.get("defaultValue")),
                    normalDefault(option.getString("type"), property.get("defaultValue")), name);
            Class<?> type = Class.forName(property.getString("type"));
            Method setter = setter(name);
            assertNotNull(setter, "no setter for " + name + " in CatalystMailComponentConfiguration");
            assertEquals(type, setter.getParameterTypes()[0], name);
            if ("duration".equals(option.getString("type"))) {
                assertEquals(Duration.class, type, name + " binds as a Duration (30s, PT30S)");
            }
        }
    }

    @Test
    void theCatalogsSecretsAreMasked() throws Exception {
        Map<String, Object> options = StarterMetadata.catalog().getMap("componentProperties");
        Set<String> secrets = new HashSet<>();
        options.forEach((name, option) -> {
            if (Boolean.TRUE.equals(((JsonObject) option).getBoolean("secret"))) {
                secrets.add(StarterMetadata.propertyName(name).substring(StarterMetadata.PREFIX.length() + 1));
            }
        });
        assertTrue(secrets.contains("password") && secrets.contains("access-token"), secrets.toString());
        assertEquals(secrets, CatalystMailComponentConfiguration.SECRET_PROPERTIES);
    }

    @Test
    void theCustomizerGroupIsDocumented() throws Exception {
        Set<String> groups = StarterMetadata.metadata().getCollection("groups").stream()
                .map(g -> ((JsonObject) g).getString("name")).collect(Collectors.toSet());
        assertEquals(Set.of(StarterMetadata.PREFIX, StarterMetadata.PREFIX + ".customizer"), groups);
    }

    private static Method setter(String option) {
        String name = "set" + Character.toUpperCase(option.charAt(0)) + option.substring(1);
        return Arrays.stream(CatalystMailComponentConfiguration.class.getMethods())
                .filter(m -> m.getName().equals(name) && m.getParameterCount() == 1).findFirst().orElse(null);
    }

    /** A default in one notation: durations in milliseconds, everything else as text. */
    private static String normalDefault(String catalogType, Object value) {
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value);
        if ("duration".equals(catalogType)) {
            return text.chars().allMatch(Character::isDigit) ? text
                    : String.valueOf(DurationStyle.detectAndParse(text).toMillis());
        }
        return text;
    }
}
