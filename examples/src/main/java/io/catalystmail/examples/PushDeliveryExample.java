package io.catalystmail.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The guide "Push delivery with IMAP IDLE": the consumer waits in IDLE between polls, so a message reaches the route
 * as soon as the server announces it, although the schedule would poll only once an hour. Runs against an
 * embedded server.
 */
public final class PushDeliveryExample {

    private PushDeliveryExample() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Routed: " + run());
    }

    /** Runs the example; returns the subject of the message routed without a scheduled poll. */
    public static String run() throws Exception {
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("alerts@example.test", "alerts", "al-secret");
             CamelContext camel = new DefaultCamelContext()) {
            CountDownLatch routed = new CountDownLatch(1);
            String[] subject = new String[1];
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // tag::route[]
                    from("catalystmail:imap:127.0.0.1:" + server.imapPort()
                         + "?username=alerts&password=RAW(al-secret)&idle=true&delay=3600000&delete=true")
                            .log("Pushed: ${header.Subject}")
                            .process(exchange -> {
                                subject[0] = exchange.getIn().getHeader("Subject", String.class);
                                routed.countDown();
                            });
                    // end::route[]
                    from("direct:send").to("catalystmail:smtp:127.0.0.1:" + server.smtpPort()
                                           + "?from=monitor@example.test&to=alerts@example.test");
                }
            });
            camel.start();
            // the first poll (a second after the start) or the IDLE that follows it routes the message at once, where
            // the schedule alone would take up to an hour
            camel.createProducerTemplate().send("direct:send", exchange -> {
                exchange.getIn().setHeader(CatalystMailConstants.SUBJECT, "Disk almost full");
                exchange.getIn().setBody("/var is at 95%.");
            });
            if (!routed.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the message was not pushed within 30 s");
            }
            return subject[0];
        }
    }
}
