package io.catalystmail.camel.springboot;

import io.catalystmail.camel.CatalystMailComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.ComponentCustomizer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An application's own ComponentCustomizer bean applies to the component next to the properties. */
@SpringBootTest(classes = { TestApplication.class, CustomizerTest.Beans.class }, properties = {
        "camel.component.catalystmail.from=app@example.test",
})
class CustomizerTest {

    @TestConfiguration
    static class Beans {
        @Bean
        ComponentCustomizer localHostNameCustomizer() {
            return ComponentCustomizer.forType(CatalystMailComponent.class,
                    component -> component.getConfiguration().setLocalHostName("mail-client.example.test"));
        }
    }

    @Autowired
    CamelContext camelContext;

    @Test
    void theApplicationsCustomizerAndThePropertiesBothApply() {
        CatalystMailComponent component = camelContext.getComponent("catalystmail", CatalystMailComponent.class);
        assertEquals("mail-client.example.test", component.getConfiguration().getLocalHostName());
        assertEquals("app@example.test", component.getConfiguration().getFrom());
    }
}
