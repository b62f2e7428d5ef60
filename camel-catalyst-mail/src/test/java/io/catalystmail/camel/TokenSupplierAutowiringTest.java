package io.catalystmail.camel;

import java.util.List;

import io.catalystmail.camel.auth.AccessTokenSupplier;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.SaslMechanisms;
import org.apache.camel.BindToRegistry;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Camel autowires the registry's one {@link AccessTokenSupplier} into the component and so into every endpoint; an
 * endpoint given a password must still log in with its password against a server that offers XOAUTH2.
 */
class TokenSupplierAutowiringTest extends CamelTestSupport {

    private static final List<String> OFFERED = List.of("XOAUTH2", "PLAIN", "LOGIN");

    @BindToRegistry("microsoftTokens")
    private final AccessTokenSupplier tokens = user -> "token-for-" + user;

    private CatalystMailEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, CatalystMailEndpoint.class);
    }

    @Test
    void theSupplierIsAutowiredIntoEveryEndpoint() {
        CatalystMailEndpoint e = endpoint("catalystmail:imaps:outlook.office365.test?username=ops@example.test");
        assertTrue(e.getConfiguration().getAccessTokenSupplier() != null, "autowired from the registry");
    }

    @Test
    void anEndpointWithOnlyAUsernameLogsInWithTheAutowiredToken() throws Exception {
        Credentials c = endpoint("catalystmail:imaps:outlook.office365.test?username=ops@example.test").credentials();
        assertEquals("XOAUTH2", SaslMechanisms.choose(OFFERED, c, "mail.example.test:143").name());
        assertEquals("token-for-ops@example.test", c.accessToken());
    }

    @Test
    void anEndpointWithAPasswordLogsInWithThePasswordDespiteTheAutowiredSupplier() throws Exception {
        CatalystMailEndpoint e = endpoint("catalystmail:imaps:mail.other.test?username=alice&password=pw-1");
        Credentials c = e.credentials();
        assertFalse(c.hasToken(), "the autowired token is set aside for the password");
        assertEquals("PLAIN", SaslMechanisms.choose(OFFERED, c, "mail.example.test:143").name());
    }

    @Test
    void namingATokenMechanismChoosesTheTokenOverThePassword() throws Exception {
        Credentials c = endpoint("catalystmail:imaps:mail.other.test?username=alice&password=pw-1&authMechanism=XOAUTH2")
                .credentials();
        assertEquals("XOAUTH2", SaslMechanisms.choose(OFFERED, c, "mail.example.test:143").name());
        assertEquals("token-for-alice", c.accessToken());
    }

    @Test
    void anEndpointWithoutAUsernameIsCreatedAndDoesNotLogIn() throws Exception {
        // a relay on the same network that takes mail without AUTH, in an application whose Microsoft 365 routes
        // brought the supplier bean: refused before with "A password or access token is set, but no username"
        CatalystMailEndpoint relay = endpoint("catalystmail:smtp:relay.example.test?from=app@example.test");
        assertEquals(Credentials.NONE, relay.credentials());
    }

    @Test
    void aSupplierOrTokenMechanismNamedInTheUriStillNeedsAUsername() {
        for (String uri : List.of("catalystmail:imaps:outlook.office365.test?accessTokenSupplier=#microsoftTokens",
                "catalystmail:imaps:outlook.office365.test?authMechanism=XOAUTH2")) {
            Throwable e = assertThrows(ResolveEndpointFailedException.class, () -> endpoint(uri));
            while (e.getCause() != null) {
                e = e.getCause();
            }
            assertTrue(e.getMessage().contains("set, but no username"), uri + ": " + e.getMessage());
        }
    }
}
