package io.catalystmail.examples;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The README's main job: starts an embedded GreenMail server, sends a few messages through
 * {@code catalystmail:smtp}, receives them with a {@code catalystmail:imap} consumer and prints what arrived.
 */
public final class MailDemo {

    private static final int MESSAGES = 3;

    private MailDemo() {
    }

    public static void main(String[] args) throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP) });
        greenMail.start();
        greenMail.setUser("demo@example.test", "demo", "demo-secret");
        int smtpPort = greenMail.getSmtp().getPort();
        int imapPort = greenMail.getImap().getPort();
        CountDownLatch arrived = new CountDownLatch(MESSAGES);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send")
                            .to("catalystmail:smtp:127.0.0.1:" + smtpPort + "?from=sender@example.test&to=demo@example.test");

                    from("catalystmail:imap:127.0.0.1:" + imapPort + "?username=demo&password=demo-secret"
                         + "&delay=200&delete=true")
                            .process(e -> {
                                System.out.printf("Received UID %s: \"%s\" from %s -> %s%n",
                                        e.getMessage().getHeader(CatalystMailConstants.UID),
                                        e.getMessage().getHeader("Subject"), e.getMessage().getHeader("From"),
                                        e.getMessage().getBody(String.class).trim());
                                arrived.countDown();
                            });
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            for (int i = 1; i <= MESSAGES; i++) {
                template.sendBodyAndHeader("direct:send", "Hello number " + i + " from catalyst-mail ✓",
                        CatalystMailConstants.SUBJECT, "Demo message " + i);
                System.out.println("Sent demo message " + i + " over SMTP to port " + smtpPort);
            }
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("only " + (MESSAGES - arrived.getCount()) + " of " + MESSAGES
                                                + " messages arrived within 30 s");
            }
            System.out.println("All " + MESSAGES + " messages sent and received.");
        } finally {
            greenMail.stop();
        }
    }
}
