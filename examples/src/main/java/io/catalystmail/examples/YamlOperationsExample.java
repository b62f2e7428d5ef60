package io.catalystmail.examples;

import java.util.Collection;
import java.util.List;

import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

/**
 * The guide "Mailbox operations", in YAML: runs {@code yaml/file-reports.camel.yaml} with Camel Main against an
 * embedded server, sends it one report, and reads back the flags the route gave the report in Sent.
 */
public final class YamlOperationsExample {

    private YamlOperationsExample() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("The report in Sent is flagged " + run());
    }

    /** Runs the YAML route for one report; returns the flags of the message it filed in Sent. */
    public static List<String> run() throws Exception {
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("reports@example.test", "reports", "rep-secret")) {
            Main main = YamlRouteExample.camelMain("classpath:yaml/file-reports.camel.yaml", server);
            main.start();
            try {
                ProducerTemplate template = main.getCamelContext().createProducerTemplate();
                String imap = "catalystmail:imap:127.0.0.1:" + server.imapPort() + "?username=reports"
                        + "&password=RAW(rep-secret)&folder=Sent";
                // GreenMail marks no folder \Sent, so the example creates it (Dovecot, Gmail, Microsoft 365 have one)
                template.sendBody(imap + "&operation=create", null);
                template.sendBodyAndHeader("direct:report", "42 files exported.", CatalystMailConstants.SUBJECT,
                        "Nightly export done");
                List<?> filed = template.requestBody(imap + "&operation=fetch&search=ALL", null, List.class);
                if (filed.size() != 1) {
                    throw new IllegalStateException("Sent holds " + filed.size() + " messages, expected the one report");
                }
                Message report = (Message) filed.get(0);
                Collection<?> flags = report.getHeader(CatalystMailConstants.FLAGS, Collection.class);
                return flags.stream().map(String::valueOf).toList();
            } finally {
                main.stop();
            }
        }
    }
}
