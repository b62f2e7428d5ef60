package io.catalystmail.benchmarks;

/**
 * What one measured run gave. {@code failure} is null for a run that did all its work and passed the
 * harness's checks (every message read in full, deleted or delivered, no temp file left).
 *
 * @param messageBytes size of one message on the wire, for bytes per second
 */
record RunResult(ComponentUnderTest component, Workload workload, int round, int messages, double seconds,
                 long messageBytes, long bytesRead, long peakHeap, long peakRss, long tmpFilesLeft, String failure) {

    static RunResult failed(ComponentUnderTest component, Workload workload, int round, String failure) {
        return new RunResult(component, workload, round, 0, 0, 0, 0, -1, -1, 0, failure);
    }

    boolean ok() {
        return failure == null;
    }

    double messagesPerSecond() {
        return messages / seconds;
    }

    double bytesPerSecond() {
        return messages * (double) messageBytes / seconds;
    }

    RunResult withFailure(String reason) {
        return new RunResult(component, workload, round, messages, seconds, messageBytes, bytesRead, peakHeap, peakRss,
                tmpFilesLeft, reason);
    }
}
