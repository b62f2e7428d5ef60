package io.catalystmail.camel.testsupport;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Locale;

/**
 * What the component's threads are doing, for the message of a test that timed out waiting for a consumer: a wait
 * that has no deadline shows up here as the frame it blocks in (a poll thread parked on a future, a fetch-ahead thread
 * reading a socket), which no log line says.
 */
public final class ConsumerThreads {

    private static final int MAX_FRAMES = 40;

    private ConsumerThreads() {
    }

    /** The stacks of the live threads whose name names the component (the poll and fetch-ahead threads). */
    public static String dump() {
        StringBuilder out = new StringBuilder();
        for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            if (!info.getThreadName().toLowerCase(Locale.ROOT).contains("catalystmail")) {
                continue;
            }
            out.append('"').append(info.getThreadName()).append("\" ").append(info.getThreadState());
            if (info.getLockName() != null) {
                out.append(" on ").append(info.getLockName());
            }
            out.append('\n');
            StackTraceElement[] frames = info.getStackTrace();
            for (int i = 0; i < Math.min(frames.length, MAX_FRAMES); i++) {
                out.append("\tat ").append(frames[i]).append('\n');
            }
            if (frames.length > MAX_FRAMES) {
                out.append("\t...\n");
            }
        }
        return out.length() == 0 ? "(no thread of the component is alive)\n" : out.toString();
    }
}
