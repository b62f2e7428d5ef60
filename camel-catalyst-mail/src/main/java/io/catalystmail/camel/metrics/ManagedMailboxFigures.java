package io.catalystmail.camel.metrics;

import java.time.Instant;

import org.apache.camel.api.management.ManagedAttribute;

/**
 * The consumer's figures as JMX attributes. Camel adds the {@code @ManagedAttribute}s of a consumer annotated with
 * {@code @ManagedResource} (and of its interfaces) to the consumer's MBean, beside Camel's own polling attributes.
 */
public interface ManagedMailboxFigures {

    /** The statistics these attributes read. */
    MailboxStatistics statistics();

    @ManagedAttribute(description = "Messages the server listed as candidates, over all polls")
    default long getMessagesListed() {
        return statistics().messagesListed();
    }

    @ManagedAttribute(description = "Messages fetched from the server")
    default long getMessagesFetched() {
        return statistics().messagesFetched();
    }

    @ManagedAttribute(description = "Messages whose exchange completed successfully")
    default long getMessagesRouted() {
        return statistics().messagesRouted();
    }

    @ManagedAttribute(description = "Messages whose exchange failed or that could not be read")
    default long getMessagesFailed() {
        return statistics().messagesFailed();
    }

    @ManagedAttribute(description = "Messages listed but not routed because they were processed before or another node"
            + " holds them (the idempotent repository or the consumer's memory of routed messages knew them)")
    default long getMessagesSkipped() {
        return statistics().messagesSkipped();
    }

    @ManagedAttribute(description = "Messages left on the server for being above maxMessageSize, counted in every poll"
            + " that listed them (reported to the exception handler once, when first met)")
    default long getMessagesTooLarge() {
        return statistics().messagesTooLarge();
    }

    @ManagedAttribute(description = "Bytes of the messages fetched (their size on the server)")
    default long getBytesFetched() {
        return statistics().bytesFetched();
    }

    @ManagedAttribute(description = "Polls run, failed ones included")
    default long getPolls() {
        return statistics().polls();
    }

    @ManagedAttribute(description = "Polls that ended with a failure")
    default long getFailedPolls() {
        return statistics().failedPolls();
    }

    @ManagedAttribute(description = "Duration of the last poll in milliseconds")
    default long getLastPollDurationMillis() {
        return statistics().lastPollMillis();
    }

    @ManagedAttribute(description = "Duration of all polls in milliseconds")
    default long getTotalPollDurationMillis() {
        return statistics().totalPollMillis();
    }

    @ManagedAttribute(description = "End of the last successful poll (ISO-8601), empty before one")
    default String getLastSuccessfulPoll() {
        long at = statistics().lastSuccessfulPoll();
        return at == 0 ? "" : Instant.ofEpochMilli(at).toString();
    }

    @ManagedAttribute(description = "Logins the server refused")
    default long getLoginFailures() {
        return statistics().loginFailures();
    }

    @ManagedAttribute(description = "Times the folder's UIDVALIDITY changed between sessions")
    default long getUidValidityChanges() {
        return statistics().uidValidityChanges();
    }

    @ManagedAttribute(description = "The folder's last known UIDVALIDITY, -1 for none (POP3)")
    default long getUidValidity() {
        return statistics().uidValidity();
    }

    @ManagedAttribute(description = "After-processing actions the server applied, per action")
    default String getAfterProcessingApplied() {
        return statistics().actionsApplied().toString();
    }

    @ManagedAttribute(description = "After-processing actions the server refused, per action; an action refused again"
            + " when retried counts once in each poll that tried it")
    default String getAfterProcessingRefused() {
        return statistics().actionsRefused().toString();
    }

    @ManagedAttribute(description = "What the last poll that did something did")
    default String getLastPollSummary() {
        PollSummary summary = statistics().lastSummary();
        return summary == null ? "" : summary.toString();
    }

    @ManagedAttribute(description = "Connection state of the mailbox session")
    default String getConnectionState() {
        return statistics().connectionState();
    }
}
