package io.catalystmail.camel.springboot;

import io.catalystmail.camel.CatalystMailEndpoint;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The Spring Boot guide's way to trust a private CA without Java code: Camel's global TLS settings under
 * camel.ssl.config and use-global-ssl-context-parameters reach every endpoint that has no TLS settings of its own.
 */
@SpringBootTest(classes = TestApplication.class, properties = {
        "camel.ssl.config.trust-managers.key-store.resource=file:/etc/mail/private-ca.p12",
        "camel.ssl.config.trust-managers.key-store.type=PKCS12",
        "camel.component.catalystmail.use-global-ssl-context-parameters=true",
})
class GlobalTlsPropertiesTest {

    @Autowired
    CamelContext camelContext;

    @Test
    void theGlobalTrustStoreReachesTheEndpoints() {
        SSLContextParameters global = camelContext.getSSLContextParameters();
        assertNotNull(global, "camel.ssl.config set no global TLS settings");
        SSLContextParameters used = camelContext.getEndpoint("catalystmail:imaps:localhost:1993", CatalystMailEndpoint.class)
                .getConfiguration().getSslContextParameters();
        assertSame(global, used);
        assertEquals("file:/etc/mail/private-ca.p12", used.getTrustManagers().getKeyStore().getResource());
    }
}
