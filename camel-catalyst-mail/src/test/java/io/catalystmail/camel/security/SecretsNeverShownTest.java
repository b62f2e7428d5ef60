package io.catalystmail.camel.security;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import io.catalystmail.camel.testsupport.ScriptedImapServer;
import io.catalystmail.camel.testsupport.ScriptedPop3Server;
import io.catalystmail.camel.testsupport.ScriptedSmtpServer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.console.DevConsole;
import org.apache.camel.console.DevConsoleRegistry;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A unique password and OAuth2 token go through every login path (SMTP AUTH, IMAP and POP3 logins against
 * GreenMail, each succeeding and failing; XOAUTH2 against scripted SMTP, IMAP and POP3 peers, succeeding and
 * failing) with every logger at TRACE. Then neither secret, nor the base64 forms that carry them on the wire,
 * may appear in any log line, any exception text the route sees, any printed form of an endpoint or route, the
 * health check results, or the endpoint, route and health dev consoles.
 * <p>
 * Lines logged by GreenMail's own classes ({@code com.icegreen}) are left out: GreenMail is the server here
 * and logs the AUTH data it receives at DEBUG; that is not this component's (or Camel's) output. Also left
 * out are the TRACE lines in which Camel core logs an endpoint URI exactly as the route wrote it while resolving
 * it ({@link #CAMEL_URI_TRACE}): they happen before the component sees the URI. Secrets set on the component
 * or given as a bean (accessTokenSupplier) never appear in a URI; the security page says so.
 */
class SecretsNeverShownTest extends CamelTestSupport {

    /** Camel core's endpoint-resolution TRACE lines, logger|level, that print the route's URI unsanitised. */
    private static final java.util.Set<String> CAMEL_URI_TRACE = java.util.Set.of(
            "org.apache.camel.impl.engine.AbstractCamelContext|TRACE", "org.apache.camel.support.EndpointHelper|TRACE",
            "org.apache.camel.support.DefaultComponent|TRACE", "org.apache.camel.impl.PreconditionHelper|TRACE");
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final String TOKEN = "tok-" + UUID.randomUUID();
    private static final StringWriter LOG = new StringWriter();
    private static Appender appender;

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", PASSWORD));

    private final CapturedExceptions handler = new CapturedExceptions();
    private final List<String> shown = new ArrayList<>();

    @BeforeAll
    static void everyLoggerAtTrace() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%c|%level|%m%ex%n").build(),
                null, LOG, "secrets", false, true);
        appender.start();
        ctx.getConfiguration().addAppender(appender);
        ctx.getConfiguration().getRootLogger().addAppender(appender, Level.TRACE, null);
        Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.TRACE);
    }

    @AfterAll
    static void loggingBackToNormal() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        ctx.getConfiguration().getRootLogger().removeAppender("secrets");
        appender.stop();
        ctx.reconfigure();
    }

    /** "logger|LEVEL" of a captured line; empty for stack trace lines, which are always checked. */
    private static String loggerAndLevel(String line) {
        String[] parts = line.split("\\|", 3);
        return parts.length < 3 ? "" : parts[0] + "|" + parts[1];
    }

    /** Every form in which a secret could show: plain, and base64 as SASL PLAIN, LOGIN and XOAUTH2 carry it. */
    private static Map<String, String> forbidden() {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("password", PASSWORD);
        forms.put("token", TOKEN);
        for (String pw : List.of(PASSWORD, PASSWORD + "-wrong")) {
            forms.put("SASL PLAIN of " + pw, base64("\0alice\0" + pw));
            forms.put("SASL LOGIN of " + pw, base64(pw));
        }
        for (String token : List.of(TOKEN, TOKEN + "-expired")) {
            forms.put("XOAUTH2 of " + token, base64("user=alice\u0001auth=Bearer " + token + "\u0001\u0001"));
            forms.put("bare base64 of " + token, base64(token));
        }
        return forms;
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private void show(String where, Object what) {
        shown.add(where + ": " + what);
    }

    @Test
    void secretsAppearNowhere() throws Exception {
        context.getRegistry().bind("captured", handler);
        smtpAgainstGreenMail();
        consumersAgainstGreenMail();
        xoauth2AgainstScriptedPeers();
        printedForms();

        String ours = LOG.toString().lines().filter(l -> !l.startsWith("com.icegreen") && !CAMEL_URI_TRACE.contains(loggerAndLevel(l)))
                .collect(Collectors.joining("\n"));
        assertTrue(ours.contains("io.catalystmail.camel.smtp.SmtpConnection|DEBUG|C: AUTH"), "the SMTP trace was captured");
        assertTrue(ours.contains("io.catalystmail.camel.imap.ImapConnection|DEBUG|C: "), "the IMAP trace was captured");
        assertTrue(ours.contains("|TRACE|"), "loggers were at TRACE");
        for (Map.Entry<String, String> secret : forbidden().entrySet()) {
            List<String> leaking = ours.lines().filter(l -> l.contains(secret.getValue()))
                    .map(l -> l.substring(0, Math.min(l.length(), 160))).distinct().collect(Collectors.toList());
            assertTrue(leaking.isEmpty(), secret.getKey() + " in " + leaking.size() + " log lines:\n" + String.join("\n", leaking));
        }
        shown.add("exception handler messages: " + handler.messagesText());
        for (Map.Entry<String, String> secret : forbidden().entrySet()) {
            for (String text : shown) {
                int at = text.indexOf(secret.getValue());
                assertTrue(at < 0, secret.getKey() + " shown in " + text.substring(0, text.indexOf(':')) + ": ..."
                        + text.substring(Math.max(0, at - 300), Math.min(text.length(), at + 100)));
            }
        }
    }

    @Test
    void endpointUriKeepsEveryOptionButTheSecrets() throws Exception {
        Endpoint endpoint = context.getEndpoint("catalystmail:imap:mail.example.com?username=alice&password=RAW(a&b)c)"
                + "&delay=5000&accessToken=RAW(" + TOKEN + ")&folder=Archive");
        String uri = endpoint.getEndpointUri();
        assertFalse(uri.contains("a&b") || uri.contains("password") || uri.contains(TOKEN) || uri.contains("accessToken"), uri);
        assertFalse(uri.contains("alice") || uri.contains("username"), uri);
        assertTrue(uri.contains("delay=5000") && uri.contains("folder=Archive"), uri);
        var configuration = ((io.catalystmail.camel.CatalystMailEndpoint) endpoint).getConfiguration();
        assertEquals("a&b)c", configuration.getPassword(), "the option itself is bound");
        assertEquals(TOKEN, configuration.getAccessToken());
        assertEquals("alice", configuration.getUsername());
    }

    /**
     * The endpoint dev console prints endpoint URIs as they are (an outside trial saw {@code username=RAW(bob)} in
     * Spring Boot's {@code /actuator/camel/endpoint}, where the consumer and route consoles masked it); endpoints of
     * two users stay two endpoints although their URIs name neither.
     */
    @Test
    void theEndpointConsoleNamesNoUserAndEndpointsOfTwoUsersStayApart() throws Exception {
        String user = "user-" + UUID.randomUUID();
        String host = "catalystmail:imap:users.example.com";
        Endpoint first = context.getEndpoint(host + "?username=RAW(" + user + ")&delay=7000");
        Endpoint second = context.getEndpoint(host + "?username=other&delay=7000");
        assertNotSame(first, second);
        assertNotEquals(first, second, "endpoints of two users are told apart");
        assertEquals(first, context.getEndpoint(host + "?delay=7000&username=RAW(" + user + ")"));
        DevConsole console = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class)
                .resolveById("endpoint");
        String shownJson = String.valueOf(console.call(DevConsole.MediaType.JSON));
        assertTrue(shownJson.contains("users.example.com"), shownJson);
        assertFalse(shownJson.contains(user), shownJson);
    }

    private void smtpAgainstGreenMail() {
        String smtp = "catalystmail:smtp:127.0.0.1:" + GREEN_MAIL.getSmtp().getPort() + "?from=alice@example.com"
                      + "&to=bob@example.com&username=alice&authMechanism=PLAIN&password=RAW(";
        Exchange ok = template.send(smtp + PASSWORD + ")", e -> e.getIn().setBody("authenticated"));
        assertNull(ok.getException());
        Exchange login = template.send(smtp.replace("PLAIN", "LOGIN") + PASSWORD + ")", e -> e.getIn().setBody("login"));
        assertNull(login.getException());
        Exchange failed = template.send(smtp + PASSWORD + "-wrong)", e -> e.getIn().setBody("refused"));
        assertNotNull(failed.getException(), "GreenMail refuses the wrong password");
        show("SMTP exception", CapturedExceptions.fullText(failed.getException()));
    }

    private void consumersAgainstGreenMail() throws Exception {
        GreenMailboxes.deliver(GREEN_MAIL, "alice", GreenMailboxes.textMessage("for imap", "hello"));
        String imap = "catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort() + "?username=alice&initialDelay=0"
                      + "&exceptionHandler=#captured&password=RAW(";
        String pop3 = "catalystmail:pop3:127.0.0.1:" + GREEN_MAIL.getPop3().getPort() + "?username=alice&initialDelay=0"
                      + "&exceptionHandler=#captured&password=RAW(";
        MockEndpoint received = getMockEndpoint("mock:received");
        received.expectedMinimumMessageCount(2);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the successful ones poll again soon should GreenMail's POP3 and IMAP sessions get in each other's
                // way; GreenMail marks a message POP3 retrieved \Seen, so the IMAP one must not look for unseen only
                from(imap + PASSWORD + ")&delay=300&unseen=false").routeId("imap-ok").to("mock:received");
                from(pop3 + PASSWORD + ")&delay=300").routeId("pop3-ok").to("mock:received");
                from(imap + PASSWORD + "-wrong)&delay=60000").routeId("imap-refused").to("mock:never");
                from(pop3 + PASSWORD + "-wrong)&delay=60000").routeId("pop3-refused").to("mock:never");
            }
        });
        received.assertIsSatisfied();
        context.getRouteController().stopRoute("imap-ok");
        context.getRouteController().stopRoute("pop3-ok");
        for (int i = 0; i < 2; i++) {
            show("consumer exception", CapturedExceptions.fullText(handler.next(Duration.ofSeconds(20))));
        }
    }

    private void xoauth2AgainstScriptedPeers() throws Exception {
        try (ScriptedSmtpServer smtp = ScriptedSmtpServer.start(ScriptedSmtpServer.script()
                .greet("220 scripted ESMTP")
                .expect("EHLO", "250-scripted\n250 AUTH XOAUTH2")
                .expect("AUTH XOAUTH2 " + base64("user=alice\u0001auth=Bearer " + TOKEN + "\u0001\u0001"), "235 2.7.0 accepted")
                .expect("MAIL FROM", "250 ok").expect("RCPT TO", "250 ok").expect("DATA", "354 go")
                .expectData("250 queued"));
             ScriptedImapServer imap = new ScriptedImapServer()
                     .send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 SASL-IR] ready")
                     .expect("AUTHENTICATE XOAUTH2 .*")
                     .send("+ " + base64("{\"status\":\"401\",\"schemes\":\"bearer\"}"))
                     .expectLine("")
                     .send("{tag} NO [AUTHENTICATIONFAILED] invalid credentials")
                     .start();
             ScriptedPop3Server pop3 = new ScriptedPop3Server().capabilities("UIDL", "SASL XOAUTH2")
                     .account("alice", null, TOKEN).add("u1", "Subject: by token\r\n\r\nhello\r\n").start()) {
            Exchange sent = template.send("catalystmail:smtp:127.0.0.1:" + smtp.port() + "?from=alice@example.com"
                    + "&to=bob@example.com&username=alice&authMechanism=XOAUTH2&accessToken=RAW(" + TOKEN + ")",
                    e -> e.getIn().setBody("by token"));
            assertNull(sent.getException());
            smtp.verify();

            MockEndpoint byToken = getMockEndpoint("mock:byToken");
            byToken.expectedMessageCount(1);
            String options = "?username=alice&authMechanism=XOAUTH2&initialDelay=0&delay=60000&exceptionHandler=#captured";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:imap:127.0.0.1:" + imap.port() + options + "&accessToken=RAW(" + TOKEN + "-expired)")
                            .routeId("imap-xoauth2").to("mock:never");
                    from("catalystmail:pop3:127.0.0.1:" + pop3.port() + options + "&accessToken=RAW(" + TOKEN + ")")
                            .routeId("pop3-xoauth2").to("mock:byToken");
                }
            });
            byToken.assertIsSatisfied();
            show("IMAP XOAUTH2 exception", CapturedExceptions.fullText(handler.next(Duration.ofSeconds(20))));
            context.getRouteController().stopRoute("pop3-xoauth2");
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("catalystmail:pop3:127.0.0.1:" + pop3.port() + options + "&accessToken=RAW(" + TOKEN + "-expired)")
                            .routeId("pop3-xoauth2-refused").to("mock:never");
                }
            });
            show("POP3 XOAUTH2 exception", CapturedExceptions.fullText(handler.next(Duration.ofSeconds(20))));
        }
    }

    /** Every form in which Camel prints endpoints and routes, and what health checks and dev consoles report. */
    private void printedForms() {
        for (Endpoint e : context.getEndpoints()) {
            show("endpoint toString", e);
            show("endpoint base URI", e.getEndpointBaseUri());
            if (e instanceof io.catalystmail.camel.CatalystMailEndpoint) {
                // the component keeps secrets out of the URI itself: the endpoint console's JSON prints it unsanitised
                show("endpoint URI", e.getEndpointUri());
            }
        }
        for (Route r : context.getRoutes()) {
            show("route", r);
            show("route endpoint", r.getEndpoint());
            show("route consumer", r.getConsumer());
            show("route description", r.getDescription());
        }
        // not checked: the route model (RouteDefinition.toString) holds the URI exactly as the route wrote it, and
        // Camel's route-dump console prints it, placeholders resolved (security.adoc names it with the bean console)
        for (HealthCheck.Result result : HealthCheckHelper.invoke(context)) {
            show("health " + result.getCheck().getId(), result.getState() + " " + result.getMessage().orElse("")
                    + " " + result.getDetails() + " "
                    + result.getError().map(CapturedExceptions::fullText).orElse(""));
        }
        DevConsoleRegistry consoles = context.getCamelContextExtension().getContextPlugin(DevConsoleRegistry.class);
        assertNotNull(consoles, "camel-console is on the test class path");
        int called = 0;
        for (String id : List.of("endpoint", "route", "health", "consumer", "context")) {
            DevConsole console = consoles.resolveById(id);
            if (console != null) {
                show("dev console " + id + " (text)", console.call(DevConsole.MediaType.TEXT));
                show("dev console " + id + " (json)", console.call(DevConsole.MediaType.JSON));
                called++;
            }
        }
        assertTrue(called >= 3, "the endpoint, route and health consoles were found");
    }
}
