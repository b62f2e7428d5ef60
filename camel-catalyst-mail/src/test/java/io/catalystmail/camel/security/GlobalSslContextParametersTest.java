package io.catalystmail.camel.security;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailComponent;
import org.apache.camel.Exchange;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * useGlobalSslContextParameters, as camel-mail has it: the CamelContext's SSLContextParameters trust GreenMail's
 * certificate; an endpoint without its own uses them only when the component says so.
 */
class GlobalSslContextParametersTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.SMTPS.dynamicPort());

    private String smtps() {
        return "catalystmail:smtps:localhost:" + GREEN_MAIL.getSmtps().getPort()
               + "?from=a@example.com&to=bob@example.com&verifyHostname=false";
    }

    private void trustGreenMailGlobally() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("classpath:greenmail.p12");
        store.setPassword("changeit");
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        context.setSSLContextParameters(parameters);
    }

    @Test
    void theGlobalParametersAreUsedWhenTheComponentIsToldTo() throws Exception {
        trustGreenMailGlobally();
        context.getComponent("catalystmail", CatalystMailComponent.class).setUseGlobalSslContextParameters(true);
        Exchange sent = template.send(smtps(), e -> e.getIn().setBody("over TLS"));
        assertNull(sent.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
    }

    @Test
    void withoutTheOptionTheGlobalParametersAreNotUsed() throws Exception {
        trustGreenMailGlobally();
        Exchange sent = template.send(smtps(), e -> e.getIn().setBody("over TLS"));
        assertNotNull(sent.getException(), "the JVM's trust store does not hold GreenMail's certificate");
    }
}
