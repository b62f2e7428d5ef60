package io.catalystmail.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;

/**
 * The guide "A YAML route with Camel Main": runs {@code yaml/mail-to-files.camel.yaml} with Camel Main, its
 * settings pointed at an embedded server, after mailing itself two messages; stops once both files are written.
 */
public final class YamlRouteExample {

    private YamlRouteExample() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "target/mail");
        System.out.println("Wrote " + run(output, 2) + " file(s) to " + output);
    }

    /** Runs the YAML route over IMAP until {@code expected} files are in {@code output}; returns how many there are. */
    public static long run(Path output, int expected) throws Exception {
        return run(output, expected, "imap");
    }

    /** The same over {@code protocol} ({@code imap} or {@code pop3}), as a user who edits mail.protocol runs it. */
    public static long run(Path output, int expected, String protocol) throws Exception {
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("reports@example.test", "reports", "rep-secret")) {
            sendTestMail(server, expected);
            Main main = camelMain("classpath:yaml/mail-to-files.camel.yaml", server);
            if (protocol.equals("pop3")) {
                main.addOverrideProperty("mail.protocol", "pop3");
                main.addOverrideProperty("mail.port", String.valueOf(server.pop3Port()));
            }
            main.addOverrideProperty("mail.delay", "500");
            main.addOverrideProperty("mail.output", output.toString());
            NotifyBuilder[] done = new NotifyBuilder[1];
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport configured) {
                    // before the routes start, so no exchange is missed
                    done[0] = new NotifyBuilder(configured.getCamelContext()).fromRoute("mail-to-files")
                            .whenCompleted(expected).create();
                }
            });
            main.start();
            try {
                if (!done[0].matches(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the route did not complete " + expected + " exchanges within 30 s");
                }
            } finally {
                main.stop();
            }
            return count(output);
        }
    }

    /**
     * Camel Main with a YAML route file and the settings of {@code yaml/application.properties}, pointed at the
     * embedded server's IMAP port and its user reports (login reports, password rep-secret).
     */
    static Main camelMain(String routes, EmbeddedMailServer server) {
        Main main = new Main();
        // tag::main[]
        main.configure().withRoutesIncludePattern(routes);
        main.setPropertyPlaceholderLocations("classpath:yaml/application.properties");
        // end::main[]
        // override the placeholder file: the embedded server instead of imap.example.com
        main.addOverrideProperty("mail.protocol", "imap");
        main.addOverrideProperty("mail.host", "127.0.0.1");
        main.addOverrideProperty("mail.port", String.valueOf(server.imapPort()));
        main.addOverrideProperty("mail.username", "reports");
        main.addOverrideProperty("mail.password", "rep-secret");
        return main;
    }

    private static void sendTestMail(EmbeddedMailServer server, int messages) throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            for (int i = 1; i <= messages; i++) {
                camel.createProducerTemplate().sendBodyAndHeader("catalystmail:smtp:127.0.0.1:" + server.smtpPort()
                        + "?from=monitor@example.test&to=reports@example.test", "Report number " + i,
                        CatalystMailConstants.SUBJECT, "Daily report " + i);
            }
        }
    }

    private static long count(Path output) throws Exception {
        if (!Files.isDirectory(output)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(output)) {
            return files.filter(f -> f.toString().endsWith(".txt")).count();
        }
    }
}
