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
 * The Micrometer meters over a group of endpoints' statistics: function counters and timers that read the sums
 * when the registry is scraped, so the hot path only increments its own counters. Loaded only through
 * {@link MeterBinding}.
 */
final class MicrometerMeters {

    /** The name camel-micrometer gives its registry bean. */
    static final String REGISTRY_BEAN = "metricsRegistry";

    private MicrometerMeters() {
    }

    static MeterBinding.Unbind mailbox(CamelContext context, String endpointName, String account,
            MeterGroup<MailboxStatistics> g) {
        MeterRegistry registry = registry(context);
        if (registry == null) {
            return () -> { };
        }
        Tags tags = Tags.of("camelContext", context.getName(), "endpointName", endpointName, "account", account,
                "kind", "consumer");
        List<Meter> meters = new ArrayList<>();
        counter(meters, registry, "catalystmail.messages.listed", "messages the server listed", tags, g,
                MailboxStatistics::messagesListed);
        counter(meters, registry, "catalystmail.messages.fetched", "messages fetched", tags, g,
                MailboxStatistics::messagesFetched);
        counter(meters, registry, "catalystmail.messages.routed", "messages routed successfully", tags, g,
                MailboxStatistics::messagesRouted);
        counter(meters, registry, "catalystmail.messages.failed", "messages failed or unreadable", tags, g,
                MailboxStatistics::messagesFailed);
        counter(meters, registry, "catalystmail.messages.skipped",
                "messages listed but processed before or held by another node", tags, g,
                MailboxStatistics::messagesSkipped);
        counter(meters, registry, "catalystmail.messages.toolarge",
                "messages left on the server above maxMessageSize, per poll", tags, g,
                MailboxStatistics::messagesTooLarge);
        meters.add(FunctionCounter.builder("catalystmail.bytes.fetched", g, g.sumOf(MailboxStatistics::bytesFetched))
                .baseUnit("bytes").description("bytes of the messages fetched").tags(tags).register(registry));
        counter(meters, registry, "catalystmail.login.failures", "logins refused", tags, g,
                MailboxStatistics::loginFailures);
        counter(meters, registry, "catalystmail.uidvalidity.changes", "UIDVALIDITY changes", tags, g,
                MailboxStatistics::uidValidityChanges);
        counter(meters, registry, "catalystmail.polls.failed", "polls that failed", tags, g,
                MailboxStatistics::failedPolls);
        ToDoubleFunction<MeterGroup<MailboxStatistics>> polls = g.sumOf(MailboxStatistics::polls);
        meters.add(FunctionTimer.builder("catalystmail.poll.duration", g, x -> (long) polls.applyAsDouble(x),
                g.sumOf(MailboxStatistics::totalPollMillis), TimeUnit.MILLISECONDS).description("poll duration")
                .tags(tags).register(registry));
        meters.add(Gauge.builder("catalystmail.poll.last.success", g, g.highestOf(x -> x.lastSuccessfulPoll() / 1000.0))
                .baseUnit("seconds").description("epoch seconds of the last successful poll, 0 before one")
                .tags(tags).register(registry));
        return () -> meters.forEach(registry::remove);
    }

    static MeterBinding.Unbind submission(CamelContext context, String endpointName, String account,
            MeterGroup<SubmissionStatistics> g) {
        MeterRegistry registry = registry(context);
        if (registry == null) {
            return () -> { };
        }
        Tags tags = Tags.of("camelContext", context.getName(), "endpointName", endpointName, "account", account,
                "kind", "producer");
        List<Meter> meters = new ArrayList<>();
        counter(meters, registry, "catalystmail.messages.sent", "messages the SMTP server accepted", tags, g,
                SubmissionStatistics::messagesSent);
        counter(meters, registry, "catalystmail.recipients.rejected", "recipients the SMTP server rejected", tags, g,
                SubmissionStatistics::rejectedRecipients);
        counter(meters, registry, "catalystmail.deliveries.uncertain", "sends whose outcome is unknown", tags, g,
                SubmissionStatistics::uncertainDeliveries);
        counter(meters, registry, "catalystmail.sends.failed", "exchanges not sent", tags, g,
                SubmissionStatistics::sendFailures);
        counter(meters, registry, "catalystmail.login.failures", "logins refused", tags, g,
                SubmissionStatistics::loginFailures);
        return () -> meters.forEach(registry::remove);
    }

    private static <S> void counter(List<Meter> meters, MeterRegistry registry, String name, String description,
            Tags tags, MeterGroup<S> group, ToDoubleFunction<S> count) {
        meters.add(FunctionCounter.builder(name, group, group.sumOf(count)).description(description).tags(tags)
                .register(registry));
    }

    private static MeterRegistry registry(CamelContext context) {
        MeterRegistry named = context.getRegistry().lookupByNameAndType(REGISTRY_BEAN, MeterRegistry.class);
        return named != null ? named : context.getRegistry().findSingleByType(MeterRegistry.class);
    }
}
