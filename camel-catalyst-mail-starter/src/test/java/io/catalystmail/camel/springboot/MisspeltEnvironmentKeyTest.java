package io.catalystmail.camel.springboot;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A misspelt key from the operating system's environment or a JVM system property stops the start as one from a file
 * or the command line does ({@link MisspelledPropertyTest}). Spring Boot leaves these two sources out of its check
 * for unknown keys: the variable CAMEL_COMPONENT_CATALYSTMAIL_DELET started the application with delete off.
 */
@ExtendWith(OutputCaptureExtension.class)
class MisspeltEnvironmentKeyTest {

    @Test
    void aMisspeltEnvironmentVariableFailsTheStartAndIsNamedWithoutItsValue(CapturedOutput output) {
        assertThrows(RuntimeException.class, () -> start(Map.of("CAMEL_COMPONENT_CATALYSTMAIL_PASWORD",
                "hunter3-not-for-logs", "CAMEL_COMPONENT_CATALYSTMAIL_DELETE", "true"), Map.of()).close());
        assertTrue(output.getOut().contains("has no option"), output.getOut());
        assertTrue(output.getOut().contains("CAMEL_COMPONENT_CATALYSTMAIL_PASWORD"), "the variable is named: " + output);
        assertFalse(output.getOut().contains("CAMEL_COMPONENT_CATALYSTMAIL_DELETE"), "a real option is not: " + output);
        assertFalse(output.toString().contains("hunter3-not-for-logs"), output.toString());
    }

    @Test
    void aMisspeltSystemPropertyFailsTheStart(CapturedOutput output) {
        assertThrows(RuntimeException.class,
                () -> start(Map.of(), Map.of("camel.component.catalystmail.read-timout", "5s")).close());
        assertTrue(output.getOut().contains("camel.component.catalystmail.read-timout"), output.getOut());
    }

    /** Below an option whose bean Spring Boot binds key by key, a name the bean does not have is misspelt too. */
    @Test
    void aMisspeltKeyOfAnOptionsBeanFailsTheStart(CapturedOutput output) {
        assertThrows(RuntimeException.class, () -> start(Map.of(), Map.of(
                "camel.component.catalystmail.configuration.frm", "x@example.test",
                "camel.component.catalystmail.ssl-context-parameters.secure-socket-protocl", "TLSv1.3")).close());
        assertTrue(output.getOut().contains("camel.component.catalystmail.configuration.frm"), output.getOut());
        assertTrue(output.getOut().contains("camel.component.catalystmail.ssl-context-parameters.secure-socket-protocl"),
                output.getOut());
    }

    @Test
    void realOptionsInEveryFormOfTheseSourcesBind() {
        try (ConfigurableApplicationContext context = start(Map.of("CAMEL_COMPONENT_CATALYSTMAIL_READTIMEOUT", "5s",
                "CAMEL_COMPONENT_CATALYSTMAIL_FETCH_ROUND_SIZE", "7", "CAMEL_COMPONENT_CATALYSTMAIL_ENABLED", "true",
                "CAMEL_COMPONENT_CATALYSTMAIL_CUSTOMIZER_ENABLED", "true", "CAMEL_COMPONENT_CUSTOMIZER_ENABLED", "true",
                "CAMEL_COMPONENT_CATALYSTMAIL_CONFIGURATION_FROM", "nested@example.test",
                "CAMEL_COMPONENT_CATALYSTMAIL_SSLCONTEXTPARAMETERS_SECURESOCKETPROTOCOL", "TLSv1.3"),
                Map.of("camel.component.catalystmail.idleTimeout", "9s", "camel.component.catalystmail.mark-seen",
                        "false"))) {
            CatalystMailComponentConfiguration configuration = context.getBean(CatalystMailComponentConfiguration.class);
            assertEquals(Duration.ofSeconds(5), configuration.getReadTimeout());
            assertEquals(7, configuration.getFetchRoundSize());
            assertEquals(Duration.ofSeconds(9), configuration.getIdleTimeout());
            assertEquals(false, configuration.getMarkSeen());
            // an option of the configuration option's bean, which Spring Boot binds from a file too
            assertEquals("nested@example.test", configuration.getConfiguration().getFrom());
            // and of the sslContextParameters option's, a class with setters too
            assertEquals("TLSv1.3", configuration.getSslContextParameters().getSecureSocketProtocol());
        }
    }

    /** Starts the application with these variables added to the environment and these system properties. */
    private static ConfigurableApplicationContext start(Map<String, Object> variables, Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        Map<String, Object> allVariables = new HashMap<>(environment.getSystemEnvironment());
        allVariables.putAll(variables);
        Map<String, Object> allProperties = new HashMap<>(environment.getSystemProperties());
        allProperties.putAll(properties);
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        allVariables));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME,
                new MapPropertySource(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME, allProperties));
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .environment(environment).run();
    }
}
