package io.catalystmail.camel.springboot;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.util.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The property table of the Spring Boot page is rendered from the starter's spring-configuration-metadata.json,
 * itself generated from the catalog. Rerun with -Dcatalystmail.updateDocs=true after an option changed, and commit
 * the partial (the same switch renders options.adoc in the component).
 */
class PropertiesDocumentationTest {

    private static final Path PARTIAL = Path.of("..", "src-docs", "modules", "ROOT", "partials",
            "spring-boot-properties.adoc");

    @Test
    void propertyTableMatchesTheMetadata() throws Exception {
        String rendered = render();
        if (Boolean.getBoolean("catalystmail.updateDocs")) {
            Files.createDirectories(PARTIAL.getParent());
            Files.writeString(PARTIAL, rendered);
        }
        String committed = Files.exists(PARTIAL) ? Files.readString(PARTIAL) : "";
        assertEquals(rendered, committed, "src-docs partials/spring-boot-properties.adoc is out of date with the"
                                          + " metadata: rerun this test with -Dcatalystmail.updateDocs=true and commit it");
    }

    private static String render() throws Exception {
        StringBuilder sb = new StringBuilder();
        sb.append("// Generated from spring-configuration-metadata.json by PropertiesDocumentationTest: do not edit.\n\n");
        sb.append("[cols=\"3,1,1,5\",options=\"header\"]\n|===\n| Property | Type | Default | Description\n");
        for (JsonObject property : StarterMetadata.properties().values()) {
            String type = property.getString("type");
            Object defaultValue = property.get("defaultValue");
            sb.append("| `").append(property.getString("name")).append("` | ")
                    .append(type.substring(type.lastIndexOf('.') + 1).replace('$', '.')).append(" | ")
                    .append(defaultValue == null ? "" : "`" + defaultValue + "`").append(" | ")
                    .append(property.getStringOrDefault("description", "").replace("|", "\\|")).append('\n');
        }
        return sb.append("|===\n").toString();
    }
}
