package io.catalystmail.camel.security;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * TLS is verified by default at the endpoint level, for IMAPS, POP3S and SMTPS against GreenMail, whose test
 * certificate is self-signed and names no host: refused as untrusted without sslContextParameters, refused for
 * the host name when trusted, accepted only with verifyHostname=false. A certificate that does name localhost
 * (made here with the JDK's keytool, as a private CA's would be) is accepted with the host name check on, and
 * refused when the client connects under a name the certificate does not list.
 */
class TlsDefaultsTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.IMAPS.dynamicPort(), ServerSetupTest.POP3S.dynamicPort(), ServerSetupTest.SMTPS.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", "s3cret"));

    @TempDir
    static Path keys;

    private final CapturedExceptions handler = new CapturedExceptions();

    enum Trust {
        /** No sslContextParameters: the JVM's trust store, which does not hold GreenMail's certificate. */
        NONE,
        /** GreenMail's certificate trusted, host name check left at its default (on). */
        TRUSTED,
        /** Trusted and verifyHostname=false. */
        TRUSTED_ANY_HOST
    }

    static Stream<Arguments> cases() {
        return Stream.of("imaps", "pop3s", "smtps").flatMap(p -> Stream.of(Trust.values()).map(t -> Arguments.of(p, t)));
    }

    private static SSLContextParameters trustStore(String resource, String password) {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource(resource);
        store.setPassword(password);
        store.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }

    private static String options(Trust trust) {
        return switch (trust) {
            case NONE -> "";
            case TRUSTED -> "&sslContextParameters=#greenMailTrust";
            case TRUSTED_ANY_HOST -> "&sslContextParameters=#greenMailTrust&verifyHostname=false";
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void greenMailCertificate(String protocol, Trust trust) throws Exception {
        context.getRegistry().bind("greenMailTrust", trustStore("classpath:greenmail.p12", "changeit"));
        context.getRegistry().bind("captured", handler);
        Throwable failure;
        if (protocol.equals("smtps")) {
            Exchange sent = template.send("catalystmail:smtps:localhost:" + GREEN_MAIL.getSmtps().getPort()
                    + "?from=a@example.com&to=bob@example.com" + options(trust), e -> e.getIn().setBody("over TLS"));
            failure = sent.getException();
            if (trust == Trust.TRUSTED_ANY_HOST) {
                assertNull(failure);
                assertTrue(GREEN_MAIL.waitForIncomingEmail(5000, 1));
                return;
            }
            assertEquals(0, GREEN_MAIL.getReceivedMessages().length);
        } else {
            GreenMailboxes.deliver(GREEN_MAIL, "alice", GreenMailboxes.textMessage("secret news", "hello"));
            int port = protocol.equals("imaps") ? GREEN_MAIL.getImaps().getPort() : GREEN_MAIL.getPop3s().getPort();
            MockEndpoint mock = getMockEndpoint("mock:tls");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:" + protocol + ":localhost:" + port + "?username=alice&password=s3cret&initialDelay=0"
                         + "&delay=60000&exceptionHandler=#captured" + options(trust)).to("mock:tls");
                }
            });
            if (trust == Trust.TRUSTED_ANY_HOST) {
                mock.expectedMessageCount(1);
                mock.assertIsSatisfied();
                return;
            }
            failure = handler.next(Duration.ofSeconds(20));
            mock.expectedMessageCount(0);
            mock.assertIsSatisfied(100);
        }
        TlsFailureException tls = tlsFailure(failure);
        String expected = trust == Trust.NONE ? "not trusted" : "does not name this host";
        assertTrue(tls.getMessage().contains(expected), tls.getMessage());
        assertTrue(tls.getMessage().contains("localhost:"), "names the server: " + tls.getMessage());
        if (trust == Trust.NONE) {
            assertTrue(tls.getMessage().contains("sslContextParameters"), "says what to do: " + tls.getMessage());
        }
    }

    private static TlsFailureException tlsFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TlsFailureException tls) {
                return tls;
            }
        }
        throw new AssertionError("not a TLS failure", t);
    }

    // ---- a certificate that names localhost, as a private CA would issue it

    private static Path localhostKeyStore() throws Exception {
        Path store = keys.resolve("localhost-only.p12");
        if (Files.exists(store)) {
            return store;
        }
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "mail", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + output);
        return store;
    }

    private static SSLContext serverContext(Path store) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** An IMAP peer that upgrades with STARTTLS and then refuses the login: how far the client got is the answer. */
    private ScriptedImapServer startTlsPeer(Path store) throws Exception {
        return new ScriptedImapServer()
                .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready")
                .expect("STARTTLS")
                .send("{tag} OK begin TLS now")
                .startTls(serverContext(store))
                .expect("CAPABILITY")
                .send("* CAPABILITY IMAP4rev1", "{tag} OK done")
                .expect("LOGIN .*")
                .send("{tag} NO [AUTHENTICATIONFAILED] the script ends here")
                .start();
    }

    private void pollOnce(String host, int port) throws Exception {
        context.getRegistry().bind("privateTrust", trustStore("file:" + localhostKeyStore(), "changeit"));
        context.getRegistry().bind("captured", handler);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:" + host + ":" + port + "?startTls=REQUIRED&sslContextParameters=#privateTrust"
                     + "&username=joe&password=pw&initialDelay=0&delay=60000&exceptionHandler=#captured").to("log:tls");
            }
        });
    }

    @Test
    void certificateNamingTheHostIsAcceptedWithHostNameVerificationOn() throws Exception {
        try (ScriptedImapServer server = startTlsPeer(localhostKeyStore())) {
            pollOnce("localhost", server.port());
            Throwable failure = handler.next(Duration.ofSeconds(20));
            // the handshake and the host name check passed: the login went over TLS and the peer refused it
            assertInstanceOf(AuthenticationException.class, CapturedExceptions.rootCause(failure), failure.toString());
            server.awaitEnd();
            assertEquals(List.of("STARTTLS", "CAPABILITY"), server.received().subList(0, 2));
            assertTrue(server.received().get(2).startsWith("LOGIN "), server.received().toString());
        }
    }

    @Test
    void nameTheCertificateDoesNotListIsRefused() throws Exception {
        try (ScriptedImapServer server = startTlsPeer(localhostKeyStore())) {
            // same peer, same trust, but reached as 127.0.0.1, which the certificate (dns:localhost only) does not name
            pollOnce("127.0.0.1", server.port());
            TlsFailureException tls = tlsFailure(handler.next(Duration.ofSeconds(20)));
            assertTrue(tls.getMessage().contains("does not name this host"), tls.getMessage());
            server.awaitEnd();
            assertEquals(List.of("STARTTLS"), server.received(), "nothing was sent after the failed handshake");
        }
    }

    @Test
    void keyStoreWasMadeForLocalhostOnly() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(localhostKeyStore())) {
            ks.load(in, "changeit".toCharArray());
        }
        var cert = (java.security.cert.X509Certificate) ks.getCertificate("mail");
        assertNotNull(cert);
        assertEquals("[[2, localhost]]", String.valueOf(cert.getSubjectAlternativeNames()));
    }
}
