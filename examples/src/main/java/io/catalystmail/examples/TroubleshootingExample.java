package io.catalystmail.examples;

import java.util.ArrayList;
import java.util.List;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The guide "Troubleshooting", runnable: the two failures met most often, as the component reports them. A
 * refused login names server, command and reply; a certificate the JVM does not trust names host and port and
 * says what to configure. Neither message shows the password.
 */
public final class TroubleshootingExample {

    private TroubleshootingExample() {
    }

    public static void main(String[] args) throws Exception {
        run().forEach(System.out::println);
    }

    /** Runs both failing sends; returns the messages of their exceptions. */
    public static List<String> run() throws Exception {
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS) });
        greenMail.start();
        greenMail.setUser("app@example.test", "app", "right-password");
        List<String> reports = new ArrayList<>();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            // tag::failures[]
            // 1. a wrong password: the server's reply (535) is in the message, the password is not
            Exchange refused = camel.createProducerTemplate().send("catalystmail:smtp:127.0.0.1:"
                    + greenMail.getSmtp().getPort() + "?username=app&password=RAW(wrong-password)"
                    + "&from=app@example.test&to=app@example.test", e -> e.getIn().setBody("hello"));
            reports.add("Authentication failure: " + refused.getException().getMessage());

            // 2. TLS to a server whose certificate the JVM does not trust (GreenMail's is self-signed):
            // fix with sslContextParameters naming a trust store that holds the server's CA
            Exchange untrusted = camel.createProducerTemplate().send("catalystmail:smtps:127.0.0.1:"
                    + greenMail.getSmtps().getPort() + "?from=app@example.test&to=app@example.test",
                    e -> e.getIn().setBody("hello"));
            reports.add("TLS failure: " + untrusted.getException().getMessage());
            // end::failures[]
        } finally {
            greenMail.stop();
        }
        return reports;
    }
}
