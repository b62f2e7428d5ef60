package io.catalystmail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Camel's tooling finds a component in a jar through META-INF/services/org/apache/camel/component.properties: it
 * lists the component names and the Maven coordinates; each name leads to the component's service file and from
 * its class to the catalog JSON. The descriptor is read here from the output the jar is built from (only from it:
 * every Camel jar on the test class path has a file of the same name).
 */
class ComponentDescriptorTest {

    private static final String SERVICES = "META-INF/services/org/apache/camel/";

    @Test
    void theJarDescribesItsComponentAsCamelsToolingExpects() throws Exception {
        URL ownOutput = CatalystMailComponent.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader onlyOurs = new URLClassLoader(new URL[] { ownOutput }, null)) {
            Properties descriptor = read(onlyOurs, SERVICES + "component.properties");
            assertEquals("catalystmail", descriptor.getProperty("components"));
            assertEquals("io.catalystmail", descriptor.getProperty("groupId"));
            assertEquals("camel-catalyst-mail", descriptor.getProperty("artifactId"));

            Properties service = read(onlyOurs, SERVICES + "component/catalystmail");
            String componentClass = service.getProperty("class");
            assertEquals(CatalystMailComponent.class.getName(), componentClass);

            String jsonPath = "META-INF/" + componentClass.substring(0, componentClass.lastIndexOf('.')).replace('.', '/')
                    + "/catalystmail.json";
            JsonObject component = readJson(onlyOurs, jsonPath).getMap("component");
            assertEquals("catalystmail", component.getString("scheme"));
            // the catalog JSON and the descriptor name the same artifact
            for (String coordinate : new String[] { "groupId", "artifactId", "version" }) {
                assertEquals(descriptor.getProperty(coordinate), component.getString(coordinate), coordinate);
            }
        }
    }

    private static Properties read(ClassLoader loader, String path) throws IOException {
        try (InputStream in = loader.getResourceAsStream(path)) {
            assertNotNull(in, path + " is missing from " + CatalystMailComponent.class.getProtectionDomain()
                    .getCodeSource().getLocation());
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        }
    }

    private static JsonObject readJson(ClassLoader loader, String path) throws Exception {
        try (InputStream in = loader.getResourceAsStream(path)) {
            assertNotNull(in, path + " is missing");
            return (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }
}
