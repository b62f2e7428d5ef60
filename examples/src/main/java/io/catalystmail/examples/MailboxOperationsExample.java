package io.catalystmail.examples;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The guide "Mailbox operations": a notification is sent over SMTP and the same exchange is filed in the Sent
 * folder over IMAP (created first, as GreenMail marks no folder \Sent; on Gmail, Microsoft 365, Dovecot or Cyrus
 * use {@code folder=\\Sent}), then STATUS counts the folder. Runs against an embedded server.
 */
public final class MailboxOperationsExample {

    private MailboxOperationsExample() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("Sent holds " + run() + " message(s)");
    }

    /** Runs the example; returns the MESSAGES count of the Sent folder after filing one sent message there. */
    public static long run() throws Exception {
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("app@example.test", "app", "app-secret");
             CamelContext camel = new DefaultCamelContext()) {
            String imap = "catalystmail:imap:127.0.0.1:" + server.imapPort() + "?username=app&password=RAW(app-secret)";
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // tag::route[]
                    from("direct:notify")
                            .to("catalystmail:smtp:127.0.0.1:" + server.smtpPort()
                                + "?from=app@example.test&to=ops@example.test")
                            // the same exchange, filed with the Message-ID just sent
                            .to(imap + "&operation=append&folder=Sent&flags=\\Seen&from=app@example.test"
                                + "&to=ops@example.test");
                    // end::route[]
                }
            });
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            template.sendBody(imap + "&operation=create&folder=Sent", null);
            template.send("direct:notify", exchange -> {
                exchange.getIn().setHeader(CatalystMailConstants.SUBJECT, "Nightly export done");
                exchange.getIn().setBody("42 files exported.");
            });
            Message status = template.send(imap + "&operation=status&folder=Sent", exchange -> { }).getMessage();
            return status.getHeader(CatalystMailConstants.MESSAGES, Long.class);
        }
    }
}
