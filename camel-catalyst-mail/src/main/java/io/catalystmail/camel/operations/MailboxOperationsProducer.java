package io.catalystmail.camel.operations;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * What the IMAP and POP3 operations producers share: the operation option checked when the producer starts (a typo
 * fails then, not at the first exchange), the connection settings and credentials built once, and each exchange's
 * operation read from the CamelCatalystMailOperation header or the option and checked against the protocol's set.
 */
abstract class MailboxOperationsProducer extends DefaultProducer {

    private final CatalystMailEndpoint endpoint;
    private final boolean imap;

    MailboxOperationsProducer(CatalystMailEndpoint endpoint, boolean imap) {
        super(endpoint);
        this.endpoint = endpoint;
        this.imap = imap;
    }

    CatalystMailEndpoint mailEndpoint() {
        return endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        if (endpoint.getConfiguration().getOperation() != null) {
            MailboxOperation.of(endpoint.getConfiguration().getOperation(), imap, "option operation");
        }
        // the TLS context is built once; a token supplier in the credentials is still asked at each login
        started(endpoint.connectionSettings(), endpoint.credentials());
    }

    /** The producer's own start-up, with the endpoint's connection settings and credentials. */
    abstract void started(ConnectionSettings settings, Credentials credentials) throws Exception;

    @Override
    public void process(Exchange exchange) throws Exception {
        MailboxOperation op = MailboxOperation.of(exchange.getMessage().getHeader(CatalystMailConstants.OPERATION,
                endpoint.getConfiguration().getOperation(), String.class), imap,
                "option operation or header " + CatalystMailConstants.OPERATION);
        process(exchange, op);
    }

    /** Carries out one checked operation. */
    abstract void process(Exchange exchange, MailboxOperation op) throws Exception;
}
