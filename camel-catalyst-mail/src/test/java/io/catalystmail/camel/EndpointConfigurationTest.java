package io.catalystmail.camel;

import java.util.List;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.testsupport.CapturedLog;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Endpoint URIs: protocol, host and port resolution, inherited options and early errors. */
class EndpointConfigurationTest extends CamelTestSupport {

    private CatalystMailEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, CatalystMailEndpoint.class);
    }

    @ParameterizedTest(name = "{0} -> {1}:{2} port {3}")
    @CsvSource({
            "catalystmail:imap:mail.example.test,              IMAP,       mail.example.test, 143, false",
            "catalystmail:imap:mail.example.test?secure=true,  IMAP,       mail.example.test, 993, true",
            "catalystmail:imaps:mail.example.test,             IMAPS,      mail.example.test, 993, true",
            "catalystmail:pop3:mail.example.test:0,            POP3,       mail.example.test, 110, false",
            "catalystmail:pop3s:mail.example.test,             POP3S,      mail.example.test, 995, true",
            "catalystmail:pop3:mail.example.test?secure=true,  POP3,       mail.example.test, 995, true",
            "catalystmail:smtp:mail.example.test,              SMTP,       mail.example.test, 25,  false",
            "catalystmail:smtps:mail.example.test,             SMTPS,      mail.example.test, 465, true",
            "catalystmail:smtp:mail.example.test?secure=true,  SMTP,       mail.example.test, 465, true",
            "catalystmail:submission:mail.example.test,        SUBMISSION, mail.example.test, 587, false",
            "catalystmail:imap:mail.example.test:1143,         IMAP,       mail.example.test, 1143, false",
            "catalystmail:imap://mail.example.test:1143,       IMAP,       mail.example.test, 1143, false",
            "catalystmail:imap:[::1]:1143,                     IMAP,       ::1,               1143, false",
    })
    void resolvesProtocolHostAndPort(String uri, MailProtocol protocol, String host, int port, boolean tls) throws Exception {
        CatalystMailEndpoint e = endpoint(uri);
        assertEquals(protocol, e.getProtocol());
        assertEquals(host, e.getConfiguration().getHost());
        assertEquals(port, e.effectivePort());
        ConnectionSettings settings = e.connectionSettings();
        assertEquals(tls, settings.implicitTls());
        assertEquals(port, settings.port());
    }

    @Test
    void submissionRequiresStartTls() throws Exception {
        assertEquals(StartTlsMode.REQUIRED, endpoint("catalystmail:submission:mail.example.test").connectionSettings().startTls());
        assertEquals(StartTlsMode.WHEN_OFFERED, endpoint("catalystmail:smtp:mail.example.test").connectionSettings().startTls());
    }

    @Test
    void unknownProtocolIsAClearErrorAtCreation() {
        Exception e = assertThrows(ResolveEndpointFailedException.class, () -> endpoint("catalystmail:imapx:mail.example.test"));
        assertTrue(rootMessage(e).contains("Unknown mail protocol 'imapx'"), rootMessage(e));
    }

    @Test
    void theProtocolIsRequiredAsCamelToolingReadsIt() {
        // the catalog declares protocol a required path parameter: HOST:PORT alone names no protocol
        Exception e = assertThrows(ResolveEndpointFailedException.class, () -> endpoint("catalystmail:mail.example.test:993"));
        assertTrue(rootMessage(e).contains("No protocol in catalystmail:mail.example.test:993"), rootMessage(e));
    }

    @Test
    void anEmptyPasswordWithoutUsernameSetsNothing() throws Exception {
        // password: ${MAIL_PASSWORD:} in application.yaml, on a relay that takes mail without login: refused before
        // with "password set, but no username", although an empty username counts as none
        assertEquals(Credentials.NONE,
                endpoint("catalystmail:smtp:relay.example.test?from=app@example.test&password=").credentials());
    }

    /**
     * Jakarta Mail reads a timeout of 0 as "wait for ever"; here each of these is a deadline, armed for at least 1 ms, so
     * 0 failed every send, login or operation once it was under way (or not, on a fast loopback) instead of at once.
     */
    @ParameterizedTest
    @CsvSource({ "smtp, sendTimeout=0", "smtp, loginTimeout=0", "imap, fetchTimeout=0", "smtp, sendTimeout=-1",
                 "pop3, fetchTimeout=0", "imap, loginTimeout=0" })
    void aDeadlineOfZeroIsRefusedAtCreation(String protocol, String option) {
        String name = option.substring(0, option.indexOf('='));
        String message = rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:" + protocol + ":mail.example.test?username=u&password=p"
                               + "&from=app@example.test&" + option)));
        assertTrue(message.contains(name) && message.contains("must be positive"), message);
    }

    /**
     * Only the deadline the endpoint's kind uses is checked: an SMTP endpoint never fetches and an IMAP or POP3
     * endpoint (consumer or operations producer) never sends, so a 0 there (a shared properties file) stopped the start
     * for an option that does nothing.
     */
    @ParameterizedTest
    @CsvSource({ "smtp, fetchTimeout=0", "imap, sendTimeout=0", "pop3, sendTimeout=0" })
    void aDeadlineTheEndpointDoesNotUseIsNotChecked(String protocol, String option) throws Exception {
        endpoint("catalystmail:" + protocol + ":mail.example.test?username=u&password=p&from=app@example.test&" + option);
    }

    @Test
    void contradictorySettingsAreRejectedAtCreation() {
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imaps:mail.example.test?startTls=REQUIRED"))).contains("contradicts implicit TLS"));
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:submission:mail.example.test?startTls=DISABLED"))).contains("requires STARTTLS"));
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imap:mail.example.test?password=x"))).contains("no username"));
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imap:mail.example.test?fetchRoundSize=0"))).contains("fetchRoundSize"));
        // camel-mail's user info form, pasted: refused, and the password in it is not repeated in any message
        ResolveEndpointFailedException userInfo = assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imaps:invoices:s3cret@imap.example.test:993"));
        assertTrue(rootMessage(userInfo).contains("set the username and password options"), rootMessage(userInfo));
        for (Throwable t = userInfo; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("s3cret"), t.getMessage());
        }
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imaps:invoices@imap.example.test"))).contains("username"));
        // camel-mail's fetchSize=0 consumes nothing; as 'no limit' a moved route would consume the whole folder
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imap:mail.example.test?fetchSize=0"))).contains("fetchSize=0 makes camel-mail skip every poll"));
        assertEquals(0, endpoint("catalystmail:imap:mail.example.test?fetchSize=-1").getConfiguration().effectiveMessagesPerPoll());
        assertEquals(5, endpoint("catalystmail:imap:mail.example.test?fetchSize=5").getConfiguration().effectiveMessagesPerPoll());
        assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                () -> endpoint("catalystmail:imap:mail.example.test?username=u&authMechanism=XOAUTH2"))).contains("accessToken"));
    }

    @Test
    void aMailboxProtocolProducesMailboxOperationsAndASendingProtocolCannotReceive() throws Exception {
        assertTrue(endpoint("catalystmail:imap:mail.example.test").createProducer()
                instanceof io.catalystmail.camel.operations.ImapOperationsProducer);
        assertTrue(endpoint("catalystmail:pop3:mail.example.test").createProducer()
                instanceof io.catalystmail.camel.operations.Pop3OperationsProducer);
        assertThrows(Exception.class, () -> endpoint("catalystmail:smtp:mail.example.test").createConsumer(x -> { }));
    }

    @Test
    void componentOptionsAreInheritedAndEndpointOptionsOverrideThem() {
        CatalystMailComponent component = context.getComponent("catalystmail", CatalystMailComponent.class);
        component.getConfiguration().setUsername("shared-user");
        component.getConfiguration().setFrom("noreply@example.test");
        component.getConfiguration().setReadTimeout(5000);
        CatalystMailEndpoint inherits = endpoint("catalystmail:smtp:mail.example.test");
        CatalystMailEndpoint overrides = endpoint("catalystmail:smtp:other.example.test?from=ops@example.test");
        assertEquals("shared-user", inherits.getConfiguration().getUsername());
        assertEquals("noreply@example.test", inherits.getConfiguration().getFrom());
        assertEquals(5000, inherits.getConfiguration().getReadTimeout());
        assertEquals("ops@example.test", overrides.getConfiguration().getFrom());
        assertEquals("noreply@example.test", component.getConfiguration().getFrom(), "the component's own copy is unchanged");
    }

    @Test
    void aComponentWideStartTlsRequiredIsMetByImplicitTlsButAnEndpointOfItsOwnStillContradictsIt() {
        // the Spring Boot guide's start-tls: REQUIRED beside imaps/pop3s/smtps routes: those failed to start
        context.getComponent("catalystmail", CatalystMailComponent.class).getConfiguration().setStartTls(StartTlsMode.REQUIRED);
        for (String uri : new String[] { "catalystmail:imaps:mail.example.test", "catalystmail:pop3s:mail.example.test",
                                         "catalystmail:smtps:mail.example.test", "catalystmail:imap:mail.example.test?secure=true" }) {
            assertTrue(endpoint(uri).implicitTls(), uri);
        }
        assertEquals(StartTlsMode.REQUIRED, endpoint("catalystmail:imap:mail.example.test").getConfiguration().getStartTls());
        for (String own : new String[] { "startTls", "starttls" }) {
            assertTrue(rootMessage(assertThrows(ResolveEndpointFailedException.class,
                    () -> endpoint("catalystmail:pop3s:mail.example.test?" + own + "=REQUIRED"))).contains("contradicts implicit TLS"));
        }
    }

    @Test
    void credentialsCarryTheTokenSupplierAndNeverPrintSecrets() throws Exception {
        CatalystMailEndpoint e = endpoint("catalystmail:imaps:mail.example.test?username=u&password=pw-123"
                                          + "&accessToken=tok-456&authMechanism=XOAUTH2");
        assertTrue(e.credentials().hasToken());
        assertEquals("tok-456", e.credentials().accessToken());
        assertFalse(e.credentials().toString().contains("pw-123"));
        assertFalse(e.credentials().toString().contains("tok-456"));
    }

    /**
     * An SMTP endpoint only sends: consumer options on it (delete, moveTo, the scheduled poll's delay) are named once
     * in a WARN when it is created, not accepted without a word as camel-mail does; options it reads, and the same
     * consumer options on a mailbox endpoint, are not.
     */
    @Test
    void anSmtpEndpointNamesTheConsumerOptionsItIgnoresOnce() throws Exception {
        try (CapturedLog log = new CapturedLog()) {
            endpoint("catalystmail:smtp:mail.example.test?delete=true&from=ops@example.test&MoveTo=Done&delay=5000");
            endpoint("catalystmail:smtp:mail.example.test?delete=true&from=ops@example.test&MoveTo=Done&delay=5000");
            endpoint("catalystmail:smtp:other.example.test?from=ops@example.test&folder=Sent&sendTimeout=5000");
            endpoint("catalystmail:imap:mail.example.test?delete=true&moveTo=Done&delay=5000");
            List<String> warnings = log.text().lines().filter(l -> l.startsWith("WARN|")).toList();
            assertEquals(List.of("WARN|io.catalystmail.camel.CatalystMailComponent|Endpoint catalystmail://smtp:"
                    + "mail.example.test?MoveTo=Done&delay=5000&delete=true&from=ops%40example.test sends mail and"
                    + " ignores the consumer options [delay, delete, moveTo]: nothing is polled, deleted, moved or"
                    + " marked from here (they belong on a from() of imap or pop3)"), warnings);
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
