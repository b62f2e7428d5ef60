package io.catalystmail.camel.springboot;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailComponent;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * An application that defines its own catalystmail component bean keeps it as it built it: the starter neither
 * replaces it nor writes the camel.component.catalystmail.* properties over its settings.
 */
@SpringBootTest(classes = { TestApplication.class, ApplicationComponentBackOffTest.Beans.class }, properties = {
        "camel.component.catalystmail.from=properties@example.test",
        "camel.component.catalystmail.fetch-size=7",
})
class ApplicationComponentBackOffTest {

    @TestConfiguration
    static class Beans {
        @Bean("catalystmail")
        CatalystMailComponent ownMailComponent() {
            CatalystMailComponent component = new CatalystMailComponent();
            component.getConfiguration().setFrom("own-bean@example.test");
            return component;
        }
    }

    @Autowired
    CamelContext camelContext;

    @Autowired
    CatalystMailComponent ownMailComponent;

    @Test
    void theApplicationsComponentIsUsedUntouched() {
        CatalystMailComponent component = camelContext.getComponent("catalystmail", CatalystMailComponent.class);
        assertSame(ownMailComponent, component);
        assertEquals("own-bean@example.test", component.getConfiguration().getFrom());
        assertEquals(new CatalystMailConfiguration().getFetchSize(), component.getConfiguration().getFetchSize(),
                "the property was not applied: the default stays");
    }
}
