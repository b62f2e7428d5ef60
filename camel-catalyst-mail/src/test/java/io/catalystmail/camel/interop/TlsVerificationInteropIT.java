package io.catalystmail.camel.interop;

import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.net.TlsFailureException;
import io.catalystmail.camel.pop3.Pop3MailboxSession;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real TLS refuses by default what it should: the servers' self-signed certificate is not in the JVM's trust
 * store, and a name the certificate does not carry fails host name verification even with the certificate
 * trusted. The name is 127.0.0.2, reached through a relay: loopback on Linux, absent from the certificate
 * (which names localhost and 127.0.0.1).
 */
class TlsVerificationInteropIT extends InteropTestSupport {

    private static final String LOGIN = "?username=alice&password=RAW(" + PASSWORD + ")";

    private MailboxSession session(String uri) throws Exception {
        CatalystMailEndpoint endpoint = context.getEndpoint(uri, CatalystMailEndpoint.class);
        return switch (endpoint.getProtocol().kind()) {
            case IMAP -> new ImapMailboxSession(endpoint.connectionSettings(), endpoint.credentials(), "INBOX");
            case POP3 -> new Pop3MailboxSession(endpoint.connectionSettings(), endpoint.credentials());
            case SMTP -> throw new IllegalArgumentException(uri);
        };
    }

    private String refusal(String uri) throws Exception {
        try (MailboxSession session = session(uri)) {
            return assertThrows(TlsFailureException.class, session::open).getMessage();
        }
    }

    @Test
    void theJvmTrustStoreDoesNotTrustTheSelfSignedCertificate() throws Exception {
        for (String uri : new String[] {
                "catalystmail:imaps:" + HOST + ":" + InteropServers.IMAPS + LOGIN,
                "catalystmail:imap:" + HOST + ":" + InteropServers.IMAP + LOGIN + "&startTls=REQUIRED",
                "catalystmail:pop3s:" + HOST + ":" + InteropServers.POP3S + LOGIN,
                "catalystmail:pop3:" + HOST + ":" + InteropServers.POP3 + LOGIN + "&startTls=REQUIRED" }) {
            String message = refusal(uri);
            assertTrue(message.contains("not trusted") && message.contains("sslContextParameters"), uri + ": " + message);
        }
        Exchange sent = template.send("catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP + "?startTls=REQUIRED&from="
                                      + address("bob") + "&to=" + address("alice"), e -> e.getIn().setBody("not sent"));
        TlsFailureException e = assertInstanceOf(TlsFailureException.class, sent.getException());
        assertTrue(e.getMessage().contains("not trusted"), e.getMessage());
    }

    @Test
    void aHostNameTheCertificateDoesNotCarryIsRefusedEvenWhenTrusted() throws Exception {
        String trusted = "&sslContextParameters=#" + InteropServers.TLS_BEAN;
        try (LoopbackRelay imaps = new LoopbackRelay("127.0.0.2", InteropServers.IMAPS);
             LoopbackRelay smtps = new LoopbackRelay("127.0.0.2", InteropServers.SMTPS)) {
            String message = refusal("catalystmail:imaps:127.0.0.2:" + imaps.port() + LOGIN + trusted);
            assertTrue(message.contains("does not name this host"), message);

            Exchange sent = template.send("catalystmail:smtps:127.0.0.2:" + smtps.port() + "?from=" + address("bob")
                                          + "&to=" + address("alice") + trusted, e -> e.getIn().setBody("not sent"));
            TlsFailureException e = assertInstanceOf(TlsFailureException.class, sent.getException());
            assertTrue(e.getMessage().contains("does not name this host"), e.getMessage());
        }
    }

    @Test
    void theSameRelayWorksWhenVerificationIsExplicitlyTurnedOff() throws Exception {
        try (LoopbackRelay imaps = new LoopbackRelay("127.0.0.2", InteropServers.IMAPS);
             MailboxSession session = session("catalystmail:imaps:127.0.0.2:" + imaps.port() + LOGIN
                                              + "&sslContextParameters=#" + InteropServers.TLS_BEAN + "&verifyHostname=false")) {
            session.open();
            assertTrue(session.isAlive(), "logged in: only the name was wrong before");
        }
    }
}
