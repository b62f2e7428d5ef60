package io.catalystmail.camel.metrics;

import io.catalystmail.camel.auth.AccountTag;
import org.apache.camel.CamelContext;

/**
 * Publishes an endpoint's statistics as Micrometer meters when the application has Micrometer and a
 * {@code MeterRegistry} in the Camel registry (the one camel-micrometer uses: the bean named
 * {@code metricsRegistry}, else the only one), as Spring Boot Actuator and Camel Main's
 * {@code camel.metrics.enabled} provide. Without either, nothing is published and Micrometer is never loaded.
 */
public final class MeterBinding {

    private static final boolean MICROMETER_PRESENT = present("io.micrometer.core.instrument.MeterRegistry");

    /** Removes the meters again. */
    @FunctionalInterface
    public interface Unbind {
        void unbind();
    }

    private MeterBinding() {
    }

    /**
     * {@code endpointName} and {@code account} tag the meters: the server and folder, never the URI, whose options
     * name the user, and the user as {@link AccountTag} hides it. The meters read the
     * sums of the group's endpoints; see {@link SharedMeters}.
     */
    static Unbind bindMailbox(CamelContext context, String endpointName, String account,
            MeterGroup<MailboxStatistics> group) {
        return MICROMETER_PRESENT ? MicrometerMeters.mailbox(context, endpointName, account, group) : () -> { };
    }

    static Unbind bindSubmission(CamelContext context, String endpointName, String account,
            MeterGroup<SubmissionStatistics> group) {
        return MICROMETER_PRESENT ? MicrometerMeters.submission(context, endpointName, account, group) : () -> { };
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, MeterBinding.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
