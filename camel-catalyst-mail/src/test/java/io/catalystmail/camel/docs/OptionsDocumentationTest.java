package io.catalystmail.camel.docs;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The option and header tables of the user guide are rendered from the catalog JSON that
 * camel-component-maven-plugin generates, so they cannot drift from the code. Run with
 * {@code -Dcatalystmail.updateDocs=true} to rewrite the page after changing an option.
 */
class OptionsDocumentationTest {

    private static final Path PAGE = Path.of("..", "src-docs", "modules", "ROOT", "pages", "options.adoc");

    @Test
    void optionsPageMatchesTheCatalog() throws Exception {
        JsonObject catalog;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/io/catalystmail/camel/catalystmail.json")) {
            assertNotNull(in, "catalog JSON missing: build with the camel-component-maven-plugin");
            catalog = (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        String rendered = render(catalog);
        if (Boolean.getBoolean("catalystmail.updateDocs")) {
            Files.writeString(PAGE, rendered);
        }
        String committed = Files.exists(PAGE) ? Files.readString(PAGE) : "";
        assertEquals(rendered, committed, "src-docs options.adoc is out of date with the catalog: rerun this test with"
                                          + " -Dcatalystmail.updateDocs=true and commit the page");
    }

    private static String render(JsonObject catalog) {
        StringBuilder sb = new StringBuilder();
        sb.append("= Options and headers\n\n");
        sb.append("// Generated from the component catalog by OptionsDocumentationTest: do not edit by hand.\n\n");
        sb.append("URI syntax: `").append(catalog.getMap("component").get("syntax")).append("`\n\n");
        table(sb, "Endpoint path", properties(catalog), "path");
        table(sb, "Endpoint options", properties(catalog), "parameter");
        sb.append("Every endpoint option except the path can also be set on the component and is then inherited by its endpoints.\n\n");
        sb.append("== Headers\n\n[cols=\"2,1,5\",options=\"header\"]\n|===\n| Name | Type | Description\n");
        for (Map.Entry<String, Object> e : headers(catalog).entrySet()) {
            JsonObject h = (JsonObject) e.getValue();
            sb.append("| `").append(e.getKey()).append("` | ").append(simpleType(h.getString("javaType")))
                    .append(" | ").append(escape(h.getString("description"))).append('\n');
        }
        sb.append("|===\n");
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> properties(JsonObject catalog) {
        return (Map<String, Object>) catalog.get("properties");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headers(JsonObject catalog) {
        return (Map<String, Object>) catalog.get("headers");
    }

    private static void table(StringBuilder sb, String title, Map<String, Object> props, String kind) {
        sb.append("== ").append(title).append("\n\n[cols=\"2,1,1,1,5\",options=\"header\"]\n|===\n")
                .append("| Name | Group | Type | Default | Description\n");
        for (Map.Entry<String, Object> e : props.entrySet()) {
            JsonObject p = (JsonObject) e.getValue();
            if (!kind.equals(p.getString("kind"))) {
                continue;
            }
            Object def = p.get("defaultValue");
            sb.append("| `").append(e.getKey()).append("` | ").append(p.getString("group")).append(" | ")
                    // a duration is a long of milliseconds in the code, but a URI takes 30s as well
                    .append("duration".equals(p.getString("type")) ? "duration" : simpleType(p.getString("javaType")))
                    .append(" | ")
                    .append(def == null ? "" : "`" + def + "`").append(" | ")
                    .append(escape(p.getString("description")))
                    .append(Boolean.TRUE.equals(p.get("secret")) ? " (secret)" : "").append('\n');
        }
        sb.append("|===\n\n");
    }

    private static String simpleType(String javaType) {
        if (javaType == null) {
            return "";
        }
        int dot = javaType.lastIndexOf('.', javaType.indexOf('<') < 0 ? javaType.length() : javaType.indexOf('<'));
        return javaType.substring(dot + 1);
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace('\n', ' ');
    }
}
