package io.catalystmail.camel.springboot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A misspelt key under camel.component.catalystmail stops the start and is named, instead of leaving the
 * component's default in place unnoticed (a consumer meant to delete that keeps every mail, say). The keys of the
 * common part (enabled, customizer.enabled) and relaxed spellings of real options still bind. The report of the
 * start's failure names the key and where it was set, never its value: a misspelt password key holds a password.
 */
@ExtendWith(OutputCaptureExtension.class)
class MisspelledPropertyTest {

    @Test
    void aMisspeltKeyFailsTheStartAndIsNamed() {
        RuntimeException failure = assertThrows(RuntimeException.class,
                () -> start("camel.component.catalystmail.read-timout=5s").close());
        UnboundConfigurationPropertiesException unbound = cause(failure, UnboundConfigurationPropertiesException.class);
        assertEquals(1, unbound.getUnboundProperties().size(), unbound.getMessage());
        assertEquals("camel.component.catalystmail.read-timout",
                unbound.getUnboundProperties().iterator().next().getName().toString());
        assertTrue(cause(failure, BindException.class).getMessage().contains("camel.component.catalystmail"),
                failure.getMessage());
    }

    @Test
    void theReportNamesTheKeyAndHidesTheValue(CapturedOutput output) {
        assertThrows(RuntimeException.class,
                () -> start("camel.component.catalystmail.pasword=hunter2-not-for-logs").close());
        assertTrue(output.getOut().contains("APPLICATION FAILED TO START"), output.getOut());
        assertTrue(output.getOut().contains("camel.component.catalystmail.pasword"), output.getOut());
        assertTrue(output.getOut().contains("has no option"), "our analysis, not Spring Boot's: " + output.getOut());
        assertFalse(output.toString().contains("hunter2-not-for-logs"), output.toString());
    }

    @Test
    void realKeysInAnySpellingStillBind() {
        try (ConfigurableApplicationContext context = start("camel.component.catalystmail.readTimeout=5s",
                "camel.component.catalystmail.fetch_round_size=7",
                "camel.component.catalystmail.customizer.enabled=true",
                "camel.component.catalystmail.enabled=true")) {
            CatalystMailComponentConfiguration configuration
                    = context.getBean(CatalystMailComponentConfiguration.class);
            assertEquals(java.time.Duration.ofSeconds(5), configuration.getReadTimeout());
            assertEquals(7, configuration.getFetchRoundSize());
        }
    }

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(TestApplication.class).web(WebApplicationType.NONE)
                .properties(properties).run();
    }

    private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the causes of " + failure, failure);
    }
}
