package io.catalystmail.camel;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.metrics.MailboxStatistics;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.ScheduledBatchPollingConsumer;

/**
 * What a poll ({@link MailboxPoll}) and the routing of its messages ({@link ExchangeRouting}) share, built once when
 * the consumer starts.
 *
 * @param consumer     the Camel consumer: its processor, exchange factory, exception handler and batch state
 * @param endpoint     the endpoint, for its configuration and protocol
 * @param repository   the idempotent repository, or null
 * @param reservations the eager idempotent mode's reservations; null in the default mode (add after success)
 * @param unfinished   routed messages whose after-processing the server has not confirmed
 * @param statistics   the consumer's figures
 * @param failedAction what happens to a message whose exchange failed: null (it stays untouched) or a move to
 *                     moveFailedTo
 */
record PollParts(ScheduledBatchPollingConsumer consumer, CatalystMailEndpoint endpoint, IdempotentRepository repository,
        IdempotentReservations reservations, UnfinishedActions unfinished, MailboxStatistics statistics,
        AfterProcessing failedAction) {

    CatalystMailConfiguration config() {
        return endpoint.getConfiguration();
    }

    boolean pop3() {
        return endpoint.getProtocol().kind() == MailProtocol.Kind.POP3;
    }
}
