package io.catalystmail.camel.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

import io.catalystmail.camel.net.ServerText;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * An {@link AccessTokenSupplier} that gets tokens from an OAuth2 token endpoint over the JDK's HTTP client: the
 * client-credentials grant (RFC 6749 §4.4, Microsoft 365 app-only access) or, when a refresh token is set, the
 * refresh-token grant (§6, Gmail and delegated Microsoft 365 access). The token is cached until
 * {@code refreshBefore} ahead of its expiry; a token the mail server refused is never handed out again. A new
 * refresh token in the answer (rotation, as Microsoft does) replaces the configured one for this process.
 * <p>
 * A JavaBean, so it can be declared in YAML, XML or Spring and named in {@code accessTokenSupplier}. Neither
 * {@link #toString()} nor any exception shows the client secret, the refresh token or an access token.
 */
public class OAuth2TokenSupplier implements AccessTokenSupplier {

    /** Longest answer read from the token endpoint; a token response is a few kilobytes at most. */
    private static final int MAX_RESPONSE = 64 * 1024;
    /** Characters of the endpoint's error and error_description shown in an exception: enough to say what failed. */
    private static final int SHOWN_LENGTH = 300;

    private String tokenEndpoint;
    private String clientId;
    private String clientSecret;
    private String refreshToken;
    private String scope;
    private Duration refreshBefore = Duration.ofSeconds(60);
    private Duration timeout = Duration.ofSeconds(30);
    private final Clock clock;

    private HttpClient http;
    private String cachedToken;
    private Instant cachedUntil = Instant.MIN;

    public OAuth2TokenSupplier() {
        this(Clock.systemUTC());
    }

    OAuth2TokenSupplier(Clock clock) {
        this.clock = clock;
    }

    /** A supplier for the client-credentials grant. */
    public static OAuth2TokenSupplier clientCredentials(String tokenEndpoint, String clientId, String clientSecret,
            String scope) {
        OAuth2TokenSupplier s = new OAuth2TokenSupplier();
        s.setTokenEndpoint(tokenEndpoint);
        s.setClientId(clientId);
        s.setClientSecret(clientSecret);
        s.setScope(scope);
        return s;
    }

    /** A supplier for the refresh-token grant; {@code clientSecret} may be null for a public client. */
    public static OAuth2TokenSupplier refreshToken(String tokenEndpoint, String clientId, String clientSecret,
            String refreshToken, String scope) {
        OAuth2TokenSupplier s = clientCredentials(tokenEndpoint, clientId, clientSecret, scope);
        s.setRefreshToken(refreshToken);
        return s;
    }

    @Override
    public synchronized String accessToken(String username) throws IOException, InterruptedException {
        if (cachedToken == null || !clock.instant().isBefore(cachedUntil)) {
            requestToken();
        }
        return cachedToken;
    }

    @Override
    public synchronized String refreshedAccessToken(String username) throws IOException, InterruptedException {
        cachedToken = null;
        requestToken();
        return cachedToken;
    }

    private void requestToken() throws IOException, InterruptedException {
        if (tokenEndpoint == null || clientId == null) {
            throw new IllegalStateException("OAuth2TokenSupplier needs tokenEndpoint and clientId");
        }
        Map<String, String> form = new LinkedHashMap<>();
        if (refreshToken != null) {
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", refreshToken);
        } else {
            if (clientSecret == null) {
                throw new IllegalStateException("the client-credentials grant needs clientSecret (or set refreshToken)");
            }
            form.put("grant_type", "client_credentials");
        }
        form.put("client_id", clientId);
        if (clientSecret != null) {
            // RFC 6749 §2.3.1: client_secret_post, accepted by Google and Microsoft identity platforms
            form.put("client_secret", clientSecret);
        }
        if (scope != null) {
            form.put("scope", scope);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenEndpoint))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(formBody(form)))
                .build();
        Instant asked = clock.instant();
        HttpResponse<byte[]> response = answer(request);
        JsonObject answer = parse(response);
        String token = text(answer, "access_token");
        if (response.statusCode() != 200 || token == null || token.isEmpty()) {
            throw new IOException("token endpoint " + endpointForMessages() + " answered HTTP " + response.statusCode()
                    + describeError(answer));
        }
        cachedToken = token;
        Long expiresIn = seconds(answer.get("expires_in"));
        // without expires_in (RFC 6749 §5.1 makes it optional) the token is asked for again at each login
        cachedUntil = expiresIn == null ? asked : asked.plusSeconds(expiresIn).minus(refreshBefore);
        String rotated = text(answer, "refresh_token");
        if (refreshToken != null && rotated != null && !rotated.isEmpty()) {
            refreshToken = rotated;
        }
    }

    private synchronized HttpClient client() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /**
     * The endpoint's complete answer within {@code timeout}. The JDK's request timeout stops counting once the
     * answer's headers are in, so an endpoint that drips its body would hold this login, and every other one waiting
     * for this synchronized supplier, for as long as it kept sending; the whole request is bounded here instead, and
     * the body is refused past {@link #MAX_RESPONSE} as it arrives rather than read whole into the heap first.
     */
    private HttpResponse<byte[]> answer(HttpRequest request) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending = client().sendAsync(request,
                info -> new BoundedBody(endpointForMessages()));
        try {
            return pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new HttpTimeoutException("token endpoint " + endpointForMessages() + " sent no complete answer within "
                    + timeout.toMillis() + " ms (timeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            for (Throwable t = cause; t != null; t = t.getCause()) {
                if (t instanceof BoundedBody.TooLarge tooLarge) {
                    throw tooLarge; // names the endpoint already
                }
            }
            if (cause instanceof HttpTimeoutException jdkTimeout) {
                // the JDK's request or connect timeout ("request timed out") names no endpoint; the type is kept
                HttpTimeoutException named = new HttpTimeoutException("token endpoint " + endpointForMessages()
                        + " did not answer within " + timeout.toMillis() + " ms (timeout): " + jdkTimeout.getMessage());
                named.initCause(jdkTimeout);
                throw named;
            }
            // the JDK's own (a ConnectException without a message, say) say nothing of where
            throw new IOException("token endpoint " + endpointForMessages() + " failed: " + cause, cause);
        } finally {
            pending.cancel(true); // a no-op once the answer is complete; else it stops the request
        }
    }

    /** Collects the answer's octets, failing at the first one past {@link #MAX_RESPONSE}. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final String endpoint;
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        BoundedBody(String endpoint) {
            this.endpoint = endpoint;
        }

        /** The answer passed {@link #MAX_RESPONSE}; the message names the endpoint. */
        static final class TooLarge extends IOException {
            TooLarge(String message) {
                super(message);
            }
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (received.size() + buffer.remaining() > MAX_RESPONSE) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLarge("token endpoint " + endpoint + " sent more than "
                            + MAX_RESPONSE + " bytes, more than a token response can be"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                received.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(received.toByteArray());
        }
    }

    private JsonObject parse(HttpResponse<byte[]> response) throws IOException {
        byte[] body = response.body();
        try {
            Object parsed = Jsoner.deserialize(new String(body, StandardCharsets.UTF_8));
            if (parsed instanceof JsonObject object) {
                return object;
            }
        } catch (Exception e) {
            // falls through: not JSON
        }
        if (response.statusCode() == 200) {
            throw new IOException("token endpoint " + endpointForMessages() + " answered HTTP 200 without a JSON object");
        }
        return new JsonObject();
    }

    private static String text(JsonObject object, String key) {
        Object value = object.get(key);
        return value == null ? null : value.toString();
    }

    /** expires_in as a number, or as a string as some endpoints send it; null when absent or unreadable. */
    private static Long seconds(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** RFC 6749 §5.2: error and error_description name the problem and hold no secret. */
    private static String describeError(JsonObject answer) {
        String error = text(answer, "error");
        if (error == null) {
            return " without an access token";
        }
        String description = text(answer, "error_description");
        return ": " + ServerText.shown(error, SHOWN_LENGTH)
               + (description == null ? "" : " (" + ServerText.shown(description, SHOWN_LENGTH) + ")");
    }

    /** The endpoint without query or user info, which could carry secrets. */
    private String endpointForMessages() {
        URI uri = URI.create(tokenEndpoint);
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + uri.getPath();
    }

    private static String formBody(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                          + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public String getTokenEndpoint() {
        return tokenEndpoint;
    }

    /** The token endpoint, e.g. Microsoft's {@code .../TENANT/oauth2/v2.0/token} or Google's token URI. */
    public void setTokenEndpoint(String tokenEndpoint) {
        this.tokenEndpoint = tokenEndpoint;
    }

    public String getClientId() {
        return clientId;
    }

    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    /** Set to use the refresh-token grant instead of client credentials. */
    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public String getScope() {
        return scope;
    }

    /** Space-separated scopes, e.g. {@code https://outlook.office365.com/.default} or {@code https://mail.google.com/}. */
    public void setScope(String scope) {
        this.scope = scope;
    }

    public Duration getRefreshBefore() {
        return refreshBefore;
    }

    /** How long before its expiry a cached token is replaced; default 60 seconds. */
    public void setRefreshBefore(Duration refreshBefore) {
        this.refreshBefore = refreshBefore;
    }

    public Duration getTimeout() {
        return timeout;
    }

    /** Deadline for a whole token request: connecting, and the endpoint's complete answer; default 30 seconds. */
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public String toString() {
        return "OAuth2TokenSupplier[endpoint=" + (tokenEndpoint == null ? null : endpointForMessages()) + ", clientId="
                + clientId + ", grant=" + (refreshToken != null ? "refresh_token" : "client_credentials") + "]";
    }
}
