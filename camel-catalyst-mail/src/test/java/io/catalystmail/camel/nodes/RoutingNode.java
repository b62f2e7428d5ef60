package io.catalystmail.camel.nodes;

import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import io.catalystmail.camel.testsupport.PollOutcomes;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A node in a JVM of its own, to be killed with SIGKILL by {@link KilledNodeRedeliveryTest}: one IMAP consumer with
 * {@code delete=true} that writes each routed message's subject as a line, unbuffered, from inside the route, and a
 * line {@value #POLL_FAILED} when a poll fails. It polls once (the next poll is an hour away), so what is on the
 * server when it is killed is what that one poll left.
 * Arguments: IMAP port (127.0.0.1, no TLS), user, password, fetchRoundSize, fetchTimeout in ms, output file.
 */
public final class RoutingNode {

    static final String POLL_FAILED = "-- poll failed";

    private RoutingNode() {
    }

    public static void main(String[] args) throws Exception {
        String uri = "catalystmail:imap:127.0.0.1:" + args[0] + "?username=" + args[1] + "&password=RAW(" + args[2]
                     + ")&delete=true&initialDelay=0&delay=3600000&fetchRoundSize=" + args[3]
                     + "&fetchTimeout=" + args[4] + "&pollStrategy=#marker";
        OutputStream out = new FileOutputStream(Path.of(args[5]).toFile(), true);
        DefaultCamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("marker", PollOutcomes.onFailure(cause -> write(out, POLL_FAILED + " " + cause)));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(e -> write(out, e.getMessage().getHeader("Subject", String.class)));
            }
        });
        context.start();
        new CountDownLatch(1).await(); // until killed
    }

    private static void write(OutputStream out, String line) {
        synchronized (out) {
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
