package io.catalystmail.camel.springboot;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/** The starter's spring-configuration-metadata.json and the component's catalog JSON, as the build left them. */
final class StarterMetadata {

    static final String PREFIX = "camel.component.catalystmail";

    private StarterMetadata() {
    }

    /** The starter's metadata (not one of the other starters' on the classpath). */
    static JsonObject metadata() throws Exception {
        for (URL url : Collections.list(StarterMetadata.class.getClassLoader()
                .getResources("META-INF/spring-configuration-metadata.json"))) {
            JsonObject metadata = read(url.openStream());
            boolean ours = metadata.getCollection("groups").stream()
                    .anyMatch(g -> PREFIX.equals(((JsonObject) g).getString("name")));
            if (ours) {
                return metadata;
            }
        }
        throw new AssertionError("no spring-configuration-metadata.json with the group " + PREFIX);
    }

    /** The metadata's properties by name, in the order of the file. */
    static Map<String, JsonObject> properties() throws Exception {
        Map<String, JsonObject> byName = new LinkedHashMap<>();
        for (Object property : metadata().getCollection("properties")) {
            JsonObject p = (JsonObject) property;
            byName.put(p.getString("name"), p);
        }
        return byName;
    }

    static JsonObject catalog() throws Exception {
        return read(StarterMetadata.class.getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json"));
    }

    private static JsonObject read(InputStream in) throws Exception {
        try (InputStreamReader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return (JsonObject) Jsoner.deserialize(reader);
        }
    }

    /** The property name Spring Boot documents for a catalog option: camelCase to kebab-case. */
    static String propertyName(String option) {
        return PREFIX + "." + option.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
