package io.catalystmail.camel;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/** Sends each exchange as one mail over SMTP. */
public class CatalystMailProducer extends DefaultProducer {

    public CatalystMailProducer(CatalystMailEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        throw new UnsupportedOperationException("SMTP producer under construction");
    }
}
