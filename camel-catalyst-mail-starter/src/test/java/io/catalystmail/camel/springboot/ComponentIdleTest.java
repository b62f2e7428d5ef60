package io.catalystmail.camel.springboot;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.icegreen.greenmail.util.GreenMailUtil;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code idle} as a component option ({@code camel.component.catalystmail.idle: true}) idles the IMAP routes and leaves
 * a POP3 route polling on its schedule, as push-delivery.adoc says: mail reaches the IMAP route long before its next
 * scheduled poll. Before, the POP3 consumer inherited the option, refused it, and the application did not start (seen
 * in a Spring Boot 3.5 application with one IMAP and one POP3 route).
 */
class ComponentIdleTest {

    private static final String LOGIN = "componentidle";
    private static final String ADDRESS = LOGIN + "@example.test";
    /**
     * Idles by the component option alone. No scheduled poll within the test after the first: mail arriving later
     * came through IDLE.
     */
    private static final String IMAP_URI = "catalystmail:imap:localhost:{{test.imap-port}}?delay=600000&delete=true";
    /** Never polled within the test (initialDelay): the route only has to start. Port 9 (discard) is not POP3. */
    private static final String POP3_URI = "catalystmail:pop3:localhost:9?initialDelay=600000";

    @Configuration
    static class ImapAndPop3 {
        @Bean
        RouteBuilder routes() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from(IMAP_URI).routeId("imap").to("mock:imap");
                    from(POP3_URI).routeId("pop3").to("mock:pop3");
                }
            };
        }
    }

    @Test
    void theApplicationStartsWithAPop3RouteAndTheImapRouteIdles() throws Exception {
        TestMailServer.server().setUser(ADDRESS, LOGIN, TestMailServer.PASSWORD);
        send("waiting before the start");
        try (ConfigurableApplicationContext app = start(ImapAndPop3.class)) {
            CamelContext camel = app.getBean(CamelContext.class);
            assertTrue(camel.getRouteController().getRouteStatus("pop3").isStarted(), "the POP3 route started");
            MockEndpoint imap = camel.getEndpoint("mock:imap", MockEndpoint.class);
            // the first poll takes the message that waited; only IDLE can bring one sent after it within the test
            TestMailServer.await("the first poll's message", Duration.ofSeconds(20),
                    () -> imap.getReceivedCounter() >= 1);
            // GreenMail does not announce mail stored between a poll's search and the IDLE (push-delivery.adoc),
            // so one more message every two seconds until one is announced
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            int sent = 0;
            while (imap.getReceivedCounter() < 2 && System.nanoTime() < deadline) {
                send("sent while idling " + ++sent);
                arrivesWithin(Duration.ofSeconds(2), () -> imap.getReceivedCounter() >= 2);
            }
            assertTrue(imap.getReceivedCounter() >= 2, "no message came through IDLE in 30 s (" + sent + " sent)");
        }
    }

    private static void arrivesWithin(Duration timeout, BooleanSupplier arrived) {
        try {
            Awaitility.await().atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50)).until(arrived::getAsBoolean);
        } catch (ConditionTimeoutException notYet) {
            // the caller sends another message
        }
    }

    private static void send(String subject) {
        GreenMailUtil.sendTextEmail(ADDRESS, "sender@example.test", subject, "body",
                TestMailServer.server().getSmtp().getServerSetup());
    }

    private static ConfigurableApplicationContext start(Class<?> routes) {
        return new SpringApplicationBuilder(TestApplication.class, routes).web(WebApplicationType.NONE)
                .properties("camel.component.catalystmail.idle=true",
                        "camel.component.catalystmail.username=" + LOGIN,
                        "camel.component.catalystmail.password=" + TestMailServer.PASSWORD,
                        "test.imap-port=" + TestMailServer.imapPort())
                .run();
    }
}
