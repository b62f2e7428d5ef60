package io.catalystmail.camel.security;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * No password crosses an unencrypted connection to a host that is not loopback unless allowInsecureAuth says
 * so. The decision itself is tested on addresses; each protocol is then shown to consult it against GreenMail
 * behind a recording proxy, reached as 0.0.0.0 (see {@link #remoteHost}).
 */
class PlaintextCredentialsTest extends CamelTestSupport {

    private static final String PASSWORD = "plain-pw-9f3a";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", PASSWORD));

    private final CapturedExceptions handler = new CapturedExceptions();
    private FaultProxy remote;

    @AfterEach
    void closeProxy() throws Exception {
        if (remote != null) {
            remote.close();
        }
    }

    // ---- the decision

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
        // literals and an unresolvable name: nothing is looked up or connected to
        assertFalse(settings(host).plaintextCredentialsAllowed());
        assertTrue(settings(host).withAllowInsecureAuth(true).plaintextCredentialsAllowed());
    }

    // ---- each protocol consults it

    /**
     * The proxy listens on loopback, but the component is pointed at {@code 0.0.0.0}: Linux delivers a connection
     * to the unspecified address locally, while {@code isLoopbackAddress()} rightly says 0.0.0.0 is not loopback.
     * So the login rule sees a remote host and no packet leaves the machine.
     */
    private String remoteHost(int upstreamPort) throws Exception {
        remote = new FaultProxy(upstreamPort);
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(new java.net.InetSocketAddress("0.0.0.0", remote.port()), 2000);
        } catch (java.io.IOException e) {
            assumeTrue(false, "this system does not deliver connections to 0.0.0.0 locally");
        }
        return "0.0.0.0:" + remote.port();
    }

    /** What reached the proxy holds neither the password nor a login command. */
    private void assertNoCredentialsSent(String... loginCommands) {
        String wire = remote.clientText();
        String plain = Base64.getEncoder().encodeToString(("\0alice\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertFalse(wire.contains(PASSWORD) || wire.contains(plain), "credentials on the wire:\n" + wire);
        for (String command : loginCommands) {
            assertFalse(wire.contains(command), command + " was sent:\n" + wire);
        }
    }

    @Test
    void smtpRefusesAuthToARemoteHostInTheClear() throws Exception {
        String uri = "catalystmail:smtp:" + remoteHost(GREEN_MAIL.getSmtp().getPort())
                     + "?from=alice@example.com&to=bob@example.com&username=alice&password=" + PASSWORD;
        Exchange sent = template.send(uri, e -> e.getIn().setBody("x"));
        AuthenticationException e = assertInstanceOf(AuthenticationException.class, sent.getException());
        assertTrue(e.getMessage().contains("unencrypted"), e.getMessage());
        assertTrue(remote.clientText().contains("EHLO"), "the server was reached");
        assertNoCredentialsSent("AUTH", "MAIL FROM");
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length);

        Exchange allowed = template.send(uri + "&allowInsecureAuth=true", ex -> ex.getIn().setBody("x"));
        assertNull(allowed.getException());
        assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
    }

    @ParameterizedTest
    @ValueSource(strings = { "imap", "pop3" })
    void consumersRefuseToLogInToARemoteHostInTheClear(String protocol) throws Exception {
        int port = protocol.equals("imap") ? GREEN_MAIL.getImap().getPort() : GREEN_MAIL.getPop3().getPort();
        String uri = "catalystmail:" + protocol + ":" + remoteHost(port) + "?username=alice&password=" + PASSWORD
                     + "&initialDelay=0&delay=60000&exceptionHandler=#captured";
        context.getRegistry().bind("captured", handler);
        GreenMailboxes.deliver(GREEN_MAIL, "alice", GreenMailboxes.textMessage("over the network", "hello"));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("refused").to("mock:refused");
                from(uri + "&allowInsecureAuth=true").routeId("allowed").autoStartup(false).to("mock:allowed");
            }
        });
        Throwable failure = CapturedExceptions.rootCause(handler.next(Duration.ofSeconds(20)));
        assertInstanceOf(AuthenticationException.class, failure);
        assertTrue(failure.getMessage().contains("unencrypted"), failure.getMessage());
        assertFalse(failure.getMessage().contains(PASSWORD));
        assertTrue(remote.clientText().length() > 0 || remote.connections() > 0, "the server was reached");
        assertNoCredentialsSent("LOGIN", "AUTHENTICATE", "USER", "PASS", "APOP", "AUTH");
        context.getRouteController().stopRoute("refused");

        MockEndpoint allowed = getMockEndpoint("mock:allowed");
        allowed.expectedMessageCount(1);
        context.getRouteController().startRoute("allowed");
        allowed.assertIsSatisfied();
    }
}
