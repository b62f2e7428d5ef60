package io.catalystmail.camel.security;

import java.time.Duration;

import io.catalystmail.camel.net.ConnectionSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No password crosses an unencrypted connection to a host that is not loopback unless allowInsecureAuth says
 * so. Tests may only reach loopback addresses here, so the decision is tested on addresses (nothing is looked
 * up or connected to); the protocol tests (SMTP, IMAP, POP3 sessions) show that login consults it.
 */
class PlaintextCredentialsTest {

    private static ConnectionSettings settings(String host) {
        return ConnectionSettings.plain(host, 25, Duration.ofSeconds(1));
    }

    @ParameterizedTest
    @ValueSource(strings = { "localhost", "127.0.0.1", "127.1.2.3", "::1" })
    void loopbackNamesAndAddressesMayCarryCredentialsInTheClear(String host) {
        assertTrue(settings(host).plaintextCredentialsAllowed());
    }

    @ParameterizedTest
    @ValueSource(strings = { "192.0.2.1", "198.51.100.7", "2001:db8::1", "no-such-host.invalid" })
    void otherHostsMayNotUnlessAllowed(String host) {
        assertFalse(settings(host).plaintextCredentialsAllowed());
        assertTrue(settings(host).withAllowInsecureAuth(true).plaintextCredentialsAllowed());
    }
}
