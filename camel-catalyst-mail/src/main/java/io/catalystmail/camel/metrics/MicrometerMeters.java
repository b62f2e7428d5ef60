package io.catalystmail.camel.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import org.apache.camel.CamelContext;

/**
 * The Micrometer meters over the statistics: function counters and timers that read the statistics when the
 * registry is scraped, so the hot path only increments its own counters. Loaded only through {@link MeterBinding}.
 */
final class MicrometerMeters {

    /** The name camel-micrometer gives its registry bean. */
    static final String REGISTRY_BEAN = "metricsRegistry";

    private MicrometerMeters() {
    }

    static MeterBinding.Unbind mailbox(CamelContext context, String endpointName, MailboxStatistics s) {
        MeterRegistry registry = registry(context);
        if (registry == null) {
            return () -> { };
        }
        Tags tags = Tags.of("camelContext", context.getName(), "endpointName", endpointName, "kind", "consumer");
        List<Meter> meters = new ArrayList<>();
        counter(meters, registry, "catalystmail.messages.listed", "messages the server listed", tags, s, MailboxStatistics::messagesListed);
        counter(meters, registry, "catalystmail.messages.fetched", "messages fetched", tags, s, MailboxStatistics::messagesFetched);
        counter(meters, registry, "catalystmail.messages.routed", "messages routed successfully", tags, s, MailboxStatistics::messagesRouted);
        counter(meters, registry, "catalystmail.messages.failed", "messages failed or unreadable", tags, s, MailboxStatistics::messagesFailed);
        counter(meters, registry, "catalystmail.messages.skipped", "messages known to the idempotent repository", tags, s, MailboxStatistics::messagesSkipped);
        meters.add(FunctionCounter.builder("catalystmail.bytes.fetched", s, x -> x.bytesFetched()).baseUnit("bytes")
                .description("bytes of the messages fetched").tags(tags).register(registry));
        counter(meters, registry, "catalystmail.login.failures", "logins refused", tags, s, MailboxStatistics::loginFailures);
        counter(meters, registry, "catalystmail.uidvalidity.changes", "UIDVALIDITY changes", tags, s, MailboxStatistics::uidValidityChanges);
        counter(meters, registry, "catalystmail.polls.failed", "polls that failed", tags, s, MailboxStatistics::failedPolls);
        meters.add(FunctionTimer.builder("catalystmail.poll.duration", s, MailboxStatistics::polls,
                MailboxStatistics::totalPollMillis, TimeUnit.MILLISECONDS).description("poll duration").tags(tags)
                .register(registry));
        meters.add(Gauge.builder("catalystmail.poll.last.success", s, x -> x.lastSuccessfulPoll() / 1000.0)
                .baseUnit("seconds").description("epoch seconds of the last successful poll, 0 before one")
                .tags(tags).register(registry));
        return () -> meters.forEach(registry::remove);
    }

    static MeterBinding.Unbind submission(CamelContext context, String endpointName, SubmissionStatistics s) {
        MeterRegistry registry = registry(context);
        if (registry == null) {
            return () -> { };
        }
        Tags tags = Tags.of("camelContext", context.getName(), "endpointName", endpointName, "kind", "producer");
        List<Meter> meters = new ArrayList<>();
        counter(meters, registry, "catalystmail.messages.sent", "messages the SMTP server accepted", tags, s, SubmissionStatistics::messagesSent);
        counter(meters, registry, "catalystmail.recipients.rejected", "recipients the SMTP server rejected", tags, s, SubmissionStatistics::rejectedRecipients);
        counter(meters, registry, "catalystmail.deliveries.uncertain", "sends whose outcome is unknown", tags, s, SubmissionStatistics::uncertainDeliveries);
        counter(meters, registry, "catalystmail.sends.failed", "exchanges not sent", tags, s, SubmissionStatistics::sendFailures);
        counter(meters, registry, "catalystmail.login.failures", "logins refused", tags, s, SubmissionStatistics::loginFailures);
        return () -> meters.forEach(registry::remove);
    }

    private static <T> void counter(List<Meter> meters, MeterRegistry registry, String name, String description,
            Tags tags, T statistics, ToDoubleFunction<T> value) {
        meters.add(FunctionCounter.builder(name, statistics, value).description(description).tags(tags).register(registry));
    }

    private static MeterRegistry registry(CamelContext context) {
        MeterRegistry named = context.getRegistry().lookupByNameAndType(REGISTRY_BEAN, MeterRegistry.class);
        return named != null ? named : context.getRegistry().findSingleByType(MeterRegistry.class);
    }
}
