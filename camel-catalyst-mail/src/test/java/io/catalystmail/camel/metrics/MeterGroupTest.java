package io.catalystmail.camel.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

/** The sums behind the meters of several endpoints that share one name and tags. */
class MeterGroupTest {

    private final MeterGroup<SubmissionStatistics> group = new MeterGroup<>();
    private final ToDoubleFunction<MeterGroup<SubmissionStatistics>> sent = group.sumOf(SubmissionStatistics::messagesSent);
    private final ToDoubleFunction<MeterGroup<SubmissionStatistics>> lastSent =
            group.highestOf(SubmissionStatistics::lastSent);
    private final SubmissionStatistics alerts = new SubmissionStatistics("smtp://mx:25");
    private final SubmissionStatistics reports = new SubmissionStatistics("smtp://mx:25");

    @Test
    void aStoppedEndpointStillCountsAndARestartedOneCountsOnce() {
        group.start(alerts);
        group.start(reports);
        alerts.sent(0);
        reports.sent(0);
        reports.sent(0);
        assertEquals(3.0, sent.applyAsDouble(group));

        assertFalse(group.stop(alerts), "reports still runs");
        assertEquals(3.0, sent.applyAsDouble(group), "a counter never goes back");
        group.start(alerts);
        alerts.sent(0);
        assertEquals(4.0, sent.applyAsDouble(group), "the restarted endpoint's earlier sends count once");
    }

    @Test
    void theGroupEndsWhenItsLastUserStopsAndAStoppedEndpointReportsNoGauge() {
        group.start(alerts);
        group.start(alerts);
        group.start(reports);
        alerts.sent(0);
        assertFalse(group.stop(alerts), "a second producer of the alerts endpoint still runs");
        assertFalse(group.stop(alerts));
        assertEquals(0.0, lastSent.applyAsDouble(group), "only running endpoints report a gauge");
        assertEquals(1.0, sent.applyAsDouble(group));
        assertTrue(group.stop(reports));
    }
}
