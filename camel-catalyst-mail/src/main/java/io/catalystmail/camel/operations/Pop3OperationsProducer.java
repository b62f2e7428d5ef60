package io.catalystmail.camel.operations;

import java.util.Map;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pop3.Pop3Maildrop;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to("catalystmail:pop3:host?operation=stat")}: STAT, LIST or UIDL of the maildrop. Each exchange logs in
 * anew: a POP3 session sees the maildrop as it was at login and holds its lock until QUIT (RFC 1939 §8), so a kept
 * connection would report a stale count and lock the consumer out.
 */
public class Pop3OperationsProducer extends DefaultProducer {

    private final CatalystMailEndpoint endpoint;
    private ConnectionSettings settings;
    private Credentials credentials;

    public Pop3OperationsProducer(CatalystMailEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.getConfiguration().getOperation() != null) {
            MailboxOperation.of(endpoint.getConfiguration().getOperation(), false, "option operation");
        }
        settings = endpoint.connectionSettings();
        credentials = endpoint.credentials();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message out = exchange.getMessage();
        MailboxOperation op = MailboxOperation.of(out.getHeader(CatalystMailConstants.OPERATION,
                endpoint.getConfiguration().getOperation(), String.class), false,
                "option operation or header " + CatalystMailConstants.OPERATION);
        MailboxLimits limits = new MailboxLimits(endpoint.getConfiguration().getMaxListedMessages(),
                endpoint.getConfiguration().getMaxMessageSize());
        try (Pop3Maildrop maildrop = Pop3Maildrop.open(settings, credentials, limits)) {
            switch (op) {
                case STAT -> {
                    Pop3Maildrop.Stat stat = maildrop.stat();
                    out.setHeader(CatalystMailConstants.MESSAGES, stat.messages());
                    out.setHeader(CatalystMailConstants.MAILDROP_SIZE, stat.size());
                    out.setBody(Map.of("messages", stat.messages(), "size", stat.size()));
                }
                case LIST -> out.setBody(maildrop.list());
                case UIDL -> out.setBody(maildrop.uidl());
                default -> throw new IllegalArgumentException(op + " is not a POP3 operation");
            }
        }
    }
}
