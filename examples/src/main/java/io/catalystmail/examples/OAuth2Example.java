package io.catalystmail.examples;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.auth.OAuth2TokenSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The guide "Gmail and Microsoft 365 with OAuth2", runnable: an {@link OAuth2TokenSupplier} gets tokens from a
 * token endpoint with the client-credentials grant (as a Microsoft 365 app registration does), and the SMTP
 * producer logs in with XOAUTH2 (an IMAP or POP3 consumer takes the same options). Here the token endpoint is a stand-in on loopback and the
 * mail server embedded GreenMail, which takes the mailbox password as the bearer token. A second route sends without
 * logging in, as to a relay of the local network: Camel autowires the registry's one supplier into every endpoint,
 * and one without a username leaves it unused.
 */
public final class OAuth2Example {

    private OAuth2Example() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Received " + run());
    }

    /** Runs the example; returns the subjects of the mail received, sorted. */
    public static List<String> run() throws Exception {
        AtomicInteger tokensIssued = new AtomicInteger();
        HttpServer tokenEndpoint = standInTokenEndpoint("mailbox-token", tokensIssued);
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("shared@example.test", "shared@example.test",
                "mailbox-token");
             CamelContext camel = new DefaultCamelContext()) {
            // tag::supplier[]
            OAuth2TokenSupplier tokens = OAuth2TokenSupplier.clientCredentials(
                    "http://127.0.0.1:" + tokenEndpoint.getAddress().getPort() + "/TENANT-ID/oauth2/v2.0/token",
                    "APPLICATION-CLIENT-ID", "CLIENT-SECRET", "https://outlook.office365.com/.default");
            camel.getRegistry().bind("mailTokens", tokens);
            // end::supplier[]
            CountDownLatch received = new CountDownLatch(2);
            List<String> subjects = new CopyOnWriteArrayList<>();
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // tag::routes[]
                    from("direct:send")
                            .to("catalystmail:smtp:127.0.0.1:" + server.smtpPort() + "?username=shared@example.test"
                                + "&authMechanism=XOAUTH2&accessTokenSupplier=#mailTokens"
                                + "&from=shared@example.test&to=shared@example.test");

                    // end::routes[]
                    // no username: this endpoint does not log in, and so leaves the autowired supplier unused
                    from("direct:relay")
                            .to("catalystmail:smtp:127.0.0.1:" + server.smtpPort()
                                + "?from=alerts@example.test&to=shared@example.test");
                    // a consumer takes the same options (username, authMechanism, accessTokenSupplier) for IMAP and
                    // POP3; GreenMail offers XOAUTH2 only over SMTP, so the example reads with its password
                    from("catalystmail:imap:127.0.0.1:" + server.imapPort() + "?username=shared@example.test"
                         + "&password=RAW(mailbox-token)&delete=true&delay=500")
                            .log("Received \"${header.Subject}\"")
                            .process(e -> {
                                subjects.add(e.getMessage().getHeader("Subject", String.class));
                                received.countDown();
                            });
                }
            });
            camel.start();
            camel.createProducerTemplate().sendBodyAndHeader("direct:send", "Sent with an OAuth2 token",
                    CatalystMailConstants.SUBJECT, "Hello over XOAUTH2");
            camel.createProducerTemplate().sendBodyAndHeader("direct:relay", "Sent without a login",
                    CatalystMailConstants.SUBJECT, "Hello through the relay");
            if (!received.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the messages did not arrive within 30 s: " + subjects);
            }
            System.out.println("The token endpoint issued " + tokensIssued.get() + " token(s); logins reuse a cached one");
            return subjects.stream().sorted().toList();
        } finally {
            tokenEndpoint.stop(0);
        }
    }

    /** Answers the client-credentials grant with {@code token}, valid for an hour, as an identity platform does. */
    private static HttpServer standInTokenEndpoint(String token, AtomicInteger issued) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/TENANT-ID/oauth2/v2.0/token", exchange -> {
            String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean ok = form.contains("grant_type=client_credentials") && form.contains("client_secret=CLIENT-SECRET");
            byte[] body = (ok ? "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"" + token + "\"}"
                    : "{\"error\":\"invalid_client\"}").getBytes(StandardCharsets.UTF_8);
            if (ok) {
                issued.incrementAndGet();
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        http.start();
        return http;
    }
}
