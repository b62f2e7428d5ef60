package io.catalystmail.camel.springboot;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/** The test application's actuator as an operator or a Kubernetes probe asks it: plain GETs on its web port. */
final class Actuator {

    /** One client for every request (Java 17's HttpClient cannot be closed; its connections are reused). */
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Actuator() {
    }

    /** The answer to a GET of {@code path} on {@code localhost:port}. */
    static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("GET " + path, e);
        }
    }

    /** The body of the answer to a GET of {@code path}, whatever its status code. */
    static String body(int port, String path) {
        return get(port, path).body();
    }

    /** A health answer parsed: the order of its fields differs between Boot 3 and 4, so it is not searched as text. */
    static JsonObject health(String body) {
        try {
            return (JsonObject) Jsoner.deserialize(body);
        } catch (Exception e) {
            throw new AssertionError("not a health answer: " + body, e);
        }
    }

    /**
     * Waits until /actuator/health is DOWN because the server refused the login of the route {@code routeId}, and
     * returns that answer. DOWN alone may still be Camel's initial state before the first poll, so the refusal itself
     * is waited for.
     */
    static String awaitRefusedLogin(int port, String routeId) {
        String[] health = new String[1];
        TestMailServer.await("/actuator/health DOWN for the refused login of " + routeId, Duration.ofSeconds(20),
                () -> {
                    health[0] = body(port, "/actuator/health");
                    return "DOWN".equals(status(health[0])) && health[0].contains(routeId)
                           && health[0].contains("refused");
                });
        return health[0];
    }

    /** The overall {@code status} of a health answer, such as UP, DOWN or OUT_OF_SERVICE. */
    static String status(String body) {
        return health(body).getString("status");
    }
}
