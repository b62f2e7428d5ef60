package io.catalystmail.camel.springboot;

import java.time.Duration;

import io.catalystmail.camel.CatalystMailComponent;
import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.auth.AccessTokenSupplier;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.net.StartTlsMode;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every kind of property under camel.component.catalystmail binds and reaches the component and, through it, the
 * endpoints: Duration, enum (Java enum and string enum), boolean, int, string, a bean reference by name and a bean
 * autowired by type.
 */
@SpringBootTest(classes = { TestApplication.class, PropertyBindingTest.Beans.class }, properties = {
        "camel.component.catalystmail.idle-timeout=45s",
        "camel.component.catalystmail.read-timeout=PT2M",
        "camel.component.catalystmail.start-tls=REQUIRED",
        "camel.component.catalystmail.sort-order=UID_DESCENDING",
        "camel.component.catalystmail.auth-mechanism=LOGIN",
        "camel.component.catalystmail.delete=true",
        "camel.component.catalystmail.mark-seen=false",
        "camel.component.catalystmail.fetch-size=7",
        "camel.component.catalystmail.from=app@example.test",
        "camel.component.catalystmail.username=app",
        "camel.component.catalystmail.ssl-context-parameters=#mailTls",
        "camel.component.catalystmail.idempotent-repository=#bean:seenMail",
})
class PropertyBindingTest {

    @TestConfiguration
    static class Beans {
        @Bean
        SSLContextParameters mailTls() {
            return new SSLContextParameters();
        }

        @Bean
        SSLContextParameters otherTls() {
            return new SSLContextParameters();
        }

        @Bean
        IdempotentRepository seenMail() {
            return MemoryIdempotentRepository.memoryIdempotentRepository();
        }

        @Bean
        IdempotentRepository otherRepository() {
            return MemoryIdempotentRepository.memoryIdempotentRepository();
        }

        /** The only AccessTokenSupplier: autowired without being named, as Camel does for autowired options. */
        @Bean
        AccessTokenSupplier tokens() {
            return username -> "token-for-" + username;
        }
    }

    @Autowired
    CamelContext camelContext;

    @Autowired
    SSLContextParameters mailTls;

    @Autowired
    IdempotentRepository seenMail;

    @Autowired
    AccessTokenSupplier tokens;

    @Test
    void everyKindOfPropertyReachesTheComponent() {
        CatalystMailConfiguration config = camelContext.getComponent("catalystmail", CatalystMailComponent.class)
                .getConfiguration();
        assertOptions(config);
    }

    @Test
    void endpointsInheritTheComponentOptions() {
        CatalystMailConfiguration config = camelContext
                .getEndpoint("catalystmail:imap:localhost:1143", CatalystMailEndpoint.class).getConfiguration();
        assertOptions(config);
    }

    @Test
    void anEndpointUriOptionOverridesTheComponentDefault() {
        CatalystMailConfiguration config = camelContext
                .getEndpoint("catalystmail:imap:localhost:1144?fetchSize=3&delete=false&idleTimeout=5000",
                        CatalystMailEndpoint.class)
                .getConfiguration();
        assertEquals(3, config.getFetchSize());
        assertFalse(config.isDelete());
        assertEquals(5000, config.getIdleTimeout());
        assertEquals(StartTlsMode.REQUIRED, config.getStartTls(), "options not in the URI still come from the component");
    }

    @Test
    void endpointsWithImplicitTlsMeetTheComponentsStartTlsRequired() {
        // start-tls: REQUIRED is for the plain-text endpoints; imaps, pop3s and smtps beside it failed to start
        for (String uri : new String[] { "catalystmail:imaps:localhost:1993", "catalystmail:pop3s:localhost:1995",
                                         "catalystmail:smtps:localhost:1465" }) {
            assertTrue(camelContext.getEndpoint(uri, CatalystMailEndpoint.class).implicitTls(), uri);
        }
    }

    private void assertOptions(CatalystMailConfiguration config) {
        assertEquals(Duration.ofSeconds(45).toMillis(), config.getIdleTimeout());
        assertEquals(Duration.ofMinutes(2).toMillis(), config.getReadTimeout());
        assertEquals(StartTlsMode.REQUIRED, config.getStartTls());
        assertEquals(MessageOrder.UID_DESCENDING, config.getSortOrder());
        assertEquals("LOGIN", config.getAuthMechanism());
        assertTrue(config.isDelete());
        assertFalse(config.isMarkSeen());
        assertEquals(7, config.getFetchSize());
        assertEquals("app@example.test", config.getFrom());
        assertSame(mailTls, config.getSslContextParameters());
        assertSame(seenMail, config.getIdempotentRepository());
        assertSame(tokens, config.getAccessTokenSupplier());
    }
}
