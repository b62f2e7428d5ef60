package io.catalystmail.camel.springboot;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailComponent;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** camel.component.catalystmail.customizer.enabled=false: the properties stay unapplied, the component defaults stand. */
@SpringBootTest(classes = TestApplication.class, properties = {
        "camel.component.catalystmail.customizer.enabled=false",
        "camel.component.catalystmail.from=app@example.test",
        "camel.component.catalystmail.fetch-size=7",
})
class CustomizerDisabledTest {

    @Autowired
    CamelContext camelContext;

    @Test
    void propertiesAreNotApplied() {
        CatalystMailComponent component = camelContext.getComponent("catalystmail", CatalystMailComponent.class);
        assertNull(component.getConfiguration().getFrom());
        assertEquals(new CatalystMailConfiguration().getFetchSize(), component.getConfiguration().getFetchSize(),
                "the property was not applied: the default stays");
    }
}
