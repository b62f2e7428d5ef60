package io.catalystmail.camel.operations;

import java.io.IOException;
import java.util.Map;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pop3.Pop3Maildrop;
import io.catalystmail.camel.pop3.Pop3RefusedException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code to("catalystmail:pop3:host?operation=stat")}: STAT, LIST or UIDL of the maildrop. Each exchange logs in
 * anew: a POP3 session sees the maildrop as it was at login and holds its lock until QUIT (RFC 1939 §8), so a kept
 * connection would report a stale count and lock the consumer out.
 */
public class Pop3OperationsProducer extends MailboxOperationsProducer {

    private ConnectionSettings settings;
    private Credentials credentials;

    public Pop3OperationsProducer(CatalystMailEndpoint endpoint) {
        super(endpoint, false);
    }

    @Override
    void started(ConnectionSettings settings, Credentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    @Override
    void process(Exchange exchange, MailboxOperation op) throws Exception {
        MailboxLimits limits = new MailboxLimits(mailEndpoint().getConfiguration().getMaxListedMessages(),
                mailEndpoint().getConfiguration().getMaxMessageSize());
        // a failure to connect or log in is the login's, named as the IMAP operations producer's borrow names it
        try (Pop3Maildrop maildrop = Pop3Maildrop.open(settings, credentials, limits)) {
            carryOut(op, maildrop, exchange.getMessage());
        }
    }

    /**
     * The operation's command, its failure named as the IMAP operations producer names it: the transport's names only
     * server and command. STAT, LIST and UIDL change nothing, so nothing was done that a retry would do twice.
     */
    private void carryOut(MailboxOperation op, Pop3Maildrop maildrop, Message out) throws IOException {
        String operation = ImapOperationRunner.name(op);
        try {
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
        } catch (Pop3RefusedException refused) {
            throw new MailboxOperationException(operation, mailEndpoint().serverName(), null, reply(refused, op),
                    refused);
        } catch (IOException e) {
            throw new MailboxOperationFailedException(operation, mailEndpoint().serverName(), null, null, e, false);
        }
    }

    /** The server's -ERR line as sent, out of the refusal's message ("POP3 server h:p refused UIDL: -ERR ..."). */
    private static String reply(Pop3RefusedException refused, MailboxOperation op) {
        String message = refused.getMessage();
        String before = " refused " + op.name() + ": ";
        int at = message.indexOf(before);
        return at < 0 ? message : message.substring(at + before.length());
    }
}
