package io.catalystmail.camel.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ready token supplier against a token endpoint on loopback (the JDK's HttpServer), with a clock we move. */
class OAuth2TokenSupplierTest {

    private static final String SECRET = "client-secret-value";
    private static final String REFRESH = "refresh-token-value";

    private HttpServer server;
    private final List<Map<String, String>> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger issued = new AtomicInteger();
    private volatile int status = 200;
    private volatile String errorBody;
    private volatile String rotatedRefreshToken;
    private final MovableClock clock = new MovableClock();

    static final class MovableClock extends Clock {
        Instant now = Instant.parse("2026-11-29T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void startTokenEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/oauth2/v2.0/token", exchange -> {
            Map<String, String> form = new LinkedHashMap<>();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            form.put("method", exchange.getRequestMethod());
            form.put("content-type", exchange.getRequestHeaders().getFirst("Content-Type"));
            requests.add(form);
            String answer;
            if (status != 200) {
                answer = errorBody;
            } else {
                answer = "{\"token_type\":\"Bearer\",\"expires_in\":3599,\"access_token\":\"token-" + issued.incrementAndGet()
                         + "\"" + (rotatedRefreshToken == null ? "" : ",\"refresh_token\":\"" + rotatedRefreshToken + "\"")
                         + "}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oauth2/v2.0/token";
    }

    private OAuth2TokenSupplier supplier() {
        OAuth2TokenSupplier s = new OAuth2TokenSupplier(clock);
        s.setTokenEndpoint(endpoint());
        s.setClientId("app-id");
        s.setClientSecret(SECRET);
        s.setScope("https://outlook.office365.com/.default");
        return s;
    }

    @Test
    void clientCredentialsTokenIsCachedUntilShortlyBeforeItExpires() throws Exception {
        OAuth2TokenSupplier tokens = supplier();
        assertEquals("token-1", tokens.accessToken("box@example.org"));
        assertEquals(Map.of("grant_type", "client_credentials", "client_id", "app-id", "client_secret", SECRET,
                "scope", "https://outlook.office365.com/.default", "method", "POST",
                "content-type", "application/x-www-form-urlencoded"), requests.get(0));

        clock.now = clock.now.plusSeconds(3599 - 61);
        assertEquals("token-1", tokens.accessToken("box@example.org"), "still more than refreshBefore from expiry");
        assertEquals(1, requests.size());

        clock.now = clock.now.plusSeconds(2);
        assertEquals("token-2", tokens.accessToken("box@example.org"), "within refreshBefore of expiry");
        assertEquals(2, requests.size());
    }

    @Test
    void refreshedAccessTokenAsksTheEndpointEvenWhileTheCachedOneLooksValid() throws Exception {
        OAuth2TokenSupplier tokens = supplier();
        assertEquals("token-1", tokens.accessToken("u"));
        assertEquals("token-2", tokens.refreshedAccessToken("u"));
        assertEquals("token-2", tokens.accessToken("u"));
        assertEquals(2, requests.size());
    }

    @Test
    void refreshTokenGrantSendsTheRefreshTokenAndKeepsARotatedOne() throws Exception {
        OAuth2TokenSupplier tokens = OAuth2TokenSupplier.refreshToken(endpoint(), "app-id", null, REFRESH,
                "https://mail.google.com/");
        rotatedRefreshToken = "rotated-refresh";
        tokens.accessToken("u");
        tokens.refreshedAccessToken("u");
        assertEquals("refresh_token", requests.get(0).get("grant_type"));
        assertEquals(REFRESH, requests.get(0).get("refresh_token"));
        assertFalse(requests.get(0).containsKey("client_secret"), "a public client sends no secret");
        assertEquals("rotated-refresh", requests.get(1).get("refresh_token"));
    }

    @Test
    void anErrorAnswerNamesTheOAuthErrorButNoSecret() {
        status = 400;
        errorBody = "{\"error\":\"invalid_client\",\"error_description\":\"AADSTS7000215: Invalid client secret provided.\"}";
        OAuth2TokenSupplier tokens = supplier();
        tokens.setRefreshToken(REFRESH);
        IOException e = assertThrows(IOException.class, () -> tokens.accessToken("u"));
        assertTrue(e.getMessage().contains("HTTP 400: invalid_client (AADSTS7000215"), e.getMessage());
        assertTrue(e.getMessage().contains("/oauth2/v2.0/token"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET) || e.getMessage().contains(REFRESH), e.getMessage());
        assertFalse(tokens.toString().contains(SECRET) || tokens.toString().contains(REFRESH), tokens.toString());
    }

    /**
     * The endpoint's error text reaches logs through the exception: control characters and bidi overrides are shown
     * escaped (a U+202E reorders what a reader of the log sees), as every server's text is ({@code ServerText}).
     */
    @Test
    void anErrorAnswersControlAndBidiCharactersAreShownEscaped() {
        status = 400;
        errorBody = "{\"error\":\"invalid_grant\",\"error_description\":\"bad\\u001b[2Jgrant \\u202etxt.exe\"}";
        OAuth2TokenSupplier tokens = supplier();
        tokens.setRefreshToken(REFRESH);
        IOException e = assertThrows(IOException.class, () -> tokens.accessToken("u"));
        assertTrue(e.getMessage().contains("invalid_grant (bad\\x1B[2Jgrant \\u202Etxt.exe)"), e.getMessage());
    }

    @Test
    void anUnreachableEndpointFailsWithinTheTimeout() throws Exception {
        OAuth2TokenSupplier tokens = supplier();
        server.stop(0);
        tokens.setTimeout(Duration.ofSeconds(2));
        IOException e = assertThrows(IOException.class, () -> tokens.accessToken("u"));
        // the JDK's ConnectException says nothing of where it tried: the login's failure must
        assertTrue(String.valueOf(e.getMessage()).contains("token endpoint http://127.0.0.1:"), String.valueOf(e));
    }

    /**
     * An endpoint that takes the request and never answers: the JDK's own request timeout (an HttpTimeoutException,
     * "request timed out") named no endpoint, so a login failed with a message that said nothing of where.
     */
    @Test
    void anEndpointThatNeverAnswersIsNamedInTheTimeout() {
        java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        server.createContext("/silent", exchange -> {
            try {
                released.await(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        try {
            IOException e = failureAsking("/silent", Duration.ofSeconds(1));
            assertTrue(e instanceof java.net.http.HttpTimeoutException, String.valueOf(e));
            assertTrue(e.getMessage().contains("token endpoint") && e.getMessage().contains("/silent"), e.getMessage());
        } finally {
            released.countDown();
        }
    }

    /**
     * The JDK's request timeout ends when the answer's headers arrive; a body that drips held the login (and, the
     * supplier being synchronized, every other login using it) for as long as the endpoint kept sending.
     */
    @Test
    void anAnswerThatNeverEndsFailsWithinTheTimeout() {
        CountDownLatch testOver = new CountDownLatch(1);
        server.createContext("/drip", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (java.io.OutputStream body = exchange.getResponseBody()) {
                body.write("{\"access_token\":\"".getBytes(StandardCharsets.US_ASCII));
                // one octet every 100 ms until the test is over (at most a minute)
                for (int i = 0; i < 600 && !testOver.await(100, TimeUnit.MILLISECONDS); i++) {
                    body.write('x');
                    body.flush();
                }
            } catch (IOException | InterruptedException e) {
                // the client gave up: what this test wants
            }
        });
        try {
            IOException e = failureAsking("/drip", Duration.ofSeconds(1));
            assertTrue(e.getMessage().contains("/drip") && e.getMessage().contains("1000 ms"), e.getMessage());
        } finally {
            testOver.countDown();
        }
    }

    /** An answer larger than any token response is refused as it arrives, not read whole into the heap first. */
    @Test
    void anEndlessAnswerIsCutAtTheBound() {
        server.createContext("/flood", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) ' ');
            try (java.io.OutputStream body = exchange.getResponseBody()) {
                while (true) {
                    body.write(chunk);
                }
            } catch (IOException e) {
                // the client stopped reading: what this test wants
            }
        });
        IOException e = failureAsking("/flood", Duration.ofSeconds(60));
        assertTrue(e.getMessage().contains("more than") && e.getMessage().contains("/flood"), e.getMessage());
    }

    /** What asking the endpoint at {@code path} fails with; a hang is a failure of its own, after 20 s. */
    private IOException failureAsking(String path, Duration timeout) {
        OAuth2TokenSupplier tokens = supplier();
        tokens.setTokenEndpoint("http://127.0.0.1:" + server.getAddress().getPort() + path);
        tokens.setTimeout(timeout);
        return assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IOException.class, () -> tokens.accessToken("u")));
    }
}
