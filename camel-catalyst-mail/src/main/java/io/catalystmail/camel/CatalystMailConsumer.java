package io.catalystmail.camel;

import java.util.Queue;

import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledBatchPollingConsumer;

/** Polls an IMAP or POP3 mailbox. */
public class CatalystMailConsumer extends ScheduledBatchPollingConsumer {

    public CatalystMailConsumer(CatalystMailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
    }

    @Override
    protected int poll() throws Exception {
        throw new UnsupportedOperationException("consumer under construction");
    }

    @Override
    public int processBatch(Queue<Object> exchanges) throws Exception {
        throw new UnsupportedOperationException("consumer under construction");
    }
}
