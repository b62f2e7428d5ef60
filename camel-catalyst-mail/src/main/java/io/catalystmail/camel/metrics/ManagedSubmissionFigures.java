package io.catalystmail.camel.metrics;

import java.time.Instant;

import org.apache.camel.api.management.ManagedAttribute;

/** The producer's figures as JMX attributes, added to the producer's MBean as for {@link ManagedMailboxFigures}. */
public interface ManagedSubmissionFigures {

    /** The statistics these attributes read. */
    SubmissionStatistics statistics();

    /** Sessions open and waiting for the next exchange. */
    int idleSessions();

    @ManagedAttribute(description = "Messages the SMTP server accepted")
    default long getMessagesSent() {
        return statistics().messagesSent();
    }

    @ManagedAttribute(description = "Recipients the SMTP server rejected")
    default long getRejectedRecipients() {
        return statistics().rejectedRecipients();
    }

    @ManagedAttribute(description = "Messages whose delivery is uncertain: the connection failed after the data was"
            + " sent")
    default long getUncertainDeliveries() {
        return statistics().uncertainDeliveries();
    }

    @ManagedAttribute(description = "Exchanges that were not sent (refused, uncertain or failed)")
    default long getSendFailures() {
        return statistics().sendFailures();
    }

    @ManagedAttribute(description = "Logins the SMTP server refused")
    default long getLoginFailures() {
        return statistics().loginFailures();
    }

    @ManagedAttribute(description = "SMTP sessions opened")
    default long getSessionsOpened() {
        return statistics().sessionsOpened();
    }

    @ManagedAttribute(description = "Time of the last accepted message (ISO-8601), empty before one")
    default String getLastSent() {
        long at = statistics().lastSent();
        return at == 0 ? "" : Instant.ofEpochMilli(at).toString();
    }

    @ManagedAttribute(description = "SMTP sessions open and idle in the pool")
    default int getIdleSessions() {
        return idleSessions();
    }
}
