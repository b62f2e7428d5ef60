package io.catalystmail.camel.interop;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What servers other than Dovecot do differently (issue #20), on whichever real server the suite runs against:
 * James greets without capabilities, announces an APOP timestamp it refuses, offers no AUTH to loopback on its
 * shipped SMTP configuration and uses "." as hierarchy delimiter (so does this Dovecot). Each test shows the
 * consumer or producer getting through, and where the two servers differ it says so.
 */
class ServerDifferencesInteropIT extends InteropTestSupport {

    private static final String USER = "carol";

    private final String run = UUID.randomUUID().toString();

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    private void append(String folder, String subject) throws Exception {
        Mailboxes.appendText(USER, folder, subject + " " + run, "text of " + subject);
    }

    private MockEndpoint expectOne() {
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        mock.setResultWaitTime(20_000);
        return mock;
    }

    private static String login(String scheme, int port) {
        return "catalystmail:" + scheme + ":" + HOST + ":" + port + "?username=" + USER + "&password=RAW(" + PASSWORD
               + ")&initialDelay=0&delay=200";
    }

    /** Loopback counts as a safe channel, so these logins go in plain text and show what the server offers there. */
    @Test
    void imapAsksForCapabilitiesBeforeLoggingInAndUsesTheStrongestMechanism() throws Exception {
        append("INBOX", "imap plain");
        try (ProtocolLog log = new ProtocolLog()) {
            MockEndpoint mock = expectOne();
            route(login("imap", InteropServers.IMAP) + "&startTls=DISABLED", e -> { });
            mock.assertIsSatisfied();
            String text = log.text();
            int authenticate = text.indexOf(" AUTHENTICATE ");
            assertTrue(authenticate > 0, "AUTHENTICATE, not LOGIN:\n" + text);
            if (InteropServers.james()) {
                // James's greeting lists no capabilities: CAPABILITY is asked first, PLAIN is all it offers
                int capability = text.indexOf(" CAPABILITY");
                assertTrue(capability > 0 && capability < authenticate, "CAPABILITY before logging in:\n" + text);
                assertTrue(text.contains(" AUTHENTICATE PLAIN"), text);
            } else {
                // Dovecot lists its capabilities in the greeting, CRAM-MD5 among them
                assertTrue(text.contains(" AUTHENTICATE CRAM-MD5"), text);
            }
        }
    }

    @Test
    void pop3GetsInWhateverTheGreetingPromises() throws Exception {
        append("INBOX", "pop3 plain");
        try (ProtocolLog log = new ProtocolLog()) {
            MockEndpoint mock = expectOne();
            route(login("pop3", InteropServers.POP3) + "&startTls=DISABLED", e -> { });
            mock.assertIsSatisfied();
            String text = log.text();
            if (InteropServers.james()) {
                // James announces an APOP timestamp but refuses APOP (hashed passwords) and lists no SASL: USER/PASS
                // the wire log masks the user name as the catalog does (a secret), naming the account by its tag
                String account = "(account " + AccountTag.of(USER) + ")";
                int apop = text.indexOf("C: APOP *** *** " + account);
                int user = text.indexOf("C: USER *** " + account);
                assertTrue(apop > 0 && user > apop, "APOP refused, then USER/PASS:\n" + text);
                assertFalse(text.contains("C: USER " + USER) || text.contains("C: APOP " + USER),
                        "the user name shows:\n" + text);
            } else {
                // Dovecot's CAPA lists SASL mechanisms, preferred to APOP: the strongest is taken
                assertTrue(text.contains("C: AUTH CRAM-MD5"), text);
            }
        }
    }

    @Test
    void folderOptionsWithSlashResolveThroughTheServersDelimiter() throws Exception {
        char separator = Mailboxes.separator(USER);
        String serverName = "Archiv" + separator + "2026";
        Mailboxes.createFolder(USER, "Archiv");
        Mailboxes.createFolder(USER, serverName);
        append("INBOX", "moved");
        MockEndpoint mock = expectOne();
        route(login("imaps", InteropServers.IMAPS) + "&sslContextParameters=#" + InteropServers.TLS_BEAN
              + "&moveTo=Archiv/2026", e -> { });
        mock.assertIsSatisfied();
        Eventually.await(() -> Mailboxes.subjects(USER, serverName).equals(List.of("moved " + run)),
                () -> serverName + ": " + Mailboxes.subjects(USER, serverName) + ", INBOX: "
                      + Mailboxes.subjects(USER, "INBOX"));
        assertEquals('.', separator, "both Dovecot (maildir) and James use '.'");
    }

    /** The consumer's folder header is the name its session selected, as the producer's operations name folders. */
    @Test
    void theConsumersFolderHeaderIsTheNameItsSessionSelected() throws Exception {
        String serverName = "Archiv" + Mailboxes.separator(USER) + "2026";
        Mailboxes.createFolder(USER, "Archiv");
        Mailboxes.createFolder(USER, serverName);
        append(serverName, "filed");
        MockEndpoint mock = expectOne();
        route(login("imaps", InteropServers.IMAPS) + "&sslContextParameters=#" + InteropServers.TLS_BEAN
              + "&folder=Archiv/2026", e -> { });
        mock.assertIsSatisfied();
        org.apache.camel.Message in = mock.getReceivedExchanges().get(0).getMessage();
        assertEquals(serverName, in.getHeader(CatalystMailConstants.FOLDER));
        assertTrue(in.getHeader(CatalystMailConstants.UID_VALIDITY, Long.class) > 0, "UIDVALIDITY of the folder");
    }

    private Exchange sendWithCredentials(int port, String options, String body) {
        return template.send("catalystmail:smtp:" + HOST + ":" + port + "?sslContextParameters=#"
                             + InteropServers.TLS_BEAN + "&from=" + address("bob") + "&to=" + address(USER)
                             + "&username=bob&password=RAW(" + PASSWORD + ")" + options, e -> {
                                 e.getIn().setBody(body);
                                 e.getIn().setHeader(CatalystMailConstants.SUBJECT, body + " " + run);
                             });
    }

    private String arrivedWithReceived(String subject) {
        String[] raw = new String[1];
        Eventually.await(() -> {
            for (Mailboxes.Stored s : Mailboxes.stored(USER, "INBOX")) {
                if ((subject + " " + run).equals(s.subject())) {
                    raw[0] = new String(s.bytes(), StandardCharsets.UTF_8);
                    return true;
                }
            }
            return false;
        }, () -> "no '" + subject + "' for " + USER);
        return raw[0];
    }

    @Test
    void credentialsWithoutAuthOfferedGoOutOnlyOverVerifiedTlsUnlessTheRelayIsTrusted() {
        if (!InteropServers.james()) {
            // Difference: this Postfix offers AUTH on every port; the policy never applies and the login is used
            Exchange sent = sendWithCredentials(InteropServers.SMTP, "&startTls=REQUIRED&authNotOffered=FAIL", "postfix");
            assertNull(sent.getException());
            assertTrue(arrivedWithReceived("postfix").contains("with ESMTPSA"), "authenticated over TLS");
            return;
        }
        int port = InteropServers.TRUSTING_SMTP;
        Exchange overTls = sendWithCredentials(port, "", "over tls");
        assertNull(overTls.getException());
        // James writes "with ESMTP" over TLS too (no RFC 3848 "S"); no "A": unauthenticated
        assertTrue(arrivedWithReceived("over tls").contains("with ESMTP "), "unauthenticated");

        Exchange plain = sendWithCredentials(port, "&startTls=DISABLED", "plain");
        AuthenticationException refused = assertInstanceOf(AuthenticationException.class, plain.getException());
        assertTrue(refused.getMessage().contains("does not offer AUTH"), refused.getMessage());

        Exchange trusted = sendWithCredentials(port, "&startTls=DISABLED&authNotOffered=PROCEED", "trusted relay");
        assertNull(trusted.getException());
        assertTrue(arrivedWithReceived("trusted relay").contains("with ESMTP "), "plain, unauthenticated");
    }
}
