package io.catalystmail.camel.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The statistics of every running endpoint whose meters have one name and tags (endpoints of one server, or of one
 * folder, that differ only in other options): Micrometer keeps one meter per name and tags, so each meter reads the
 * sum over the group. A stopping endpoint's counts are folded into a retired total, so a counter never goes back;
 * they are taken out again if that endpoint starts once more, as its own statistics go on from where they were.
 */
final class MeterGroup<S> {

    private final List<ToDoubleFunction<S>> counts = new ArrayList<>();
    private double[] retired = new double[0];
    /** Each running endpoint's statistics, with how many of its producers or consumers run. */
    private final Map<S, Integer> running = new IdentityHashMap<>();
    /** What was folded into {@link #retired} for a stopped endpoint; weak, as a dropped endpoint never returns. */
    private final Map<S, double[]> folded = new WeakHashMap<>();

    /** A counter's value: {@code count} summed over every endpoint of the group, stopped ones included. */
    synchronized ToDoubleFunction<MeterGroup<S>> sumOf(ToDoubleFunction<S> count) {
        counts.add(count);
        retired = Arrays.copyOf(retired, counts.size());
        int index = counts.size() - 1;
        return group -> group.sum(index);
    }

    /** A gauge's value: the highest {@code value} of the running endpoints (a stopped one reports nothing). */
    ToDoubleFunction<MeterGroup<S>> highestOf(ToDoubleFunction<S> value) {
        return group -> group.highest(value);
    }

    synchronized void start(S statistics) {
        if (running.merge(statistics, 1, Integer::sum) == 1) {
            double[] before = folded.remove(statistics);
            for (int i = 0; before != null && i < before.length; i++) {
                retired[i] -= before[i];
            }
        }
    }

    /** @return whether no endpoint of the group runs any more */
    synchronized boolean stop(S statistics) {
        Integer users = running.get(statistics);
        if (users == null) {
            return running.isEmpty();
        }
        if (users > 1) {
            running.put(statistics, users - 1);
            return false;
        }
        running.remove(statistics);
        double[] now = new double[counts.size()];
        for (int i = 0; i < now.length; i++) {
            now[i] = counts.get(i).applyAsDouble(statistics);
            retired[i] += now[i];
        }
        folded.put(statistics, now);
        return running.isEmpty();
    }

    private synchronized double sum(int index) {
        double sum = retired[index];
        for (S statistics : running.keySet()) {
            sum += counts.get(index).applyAsDouble(statistics);
        }
        return sum;
    }

    private synchronized double highest(ToDoubleFunction<S> value) {
        double highest = 0;
        for (S statistics : running.keySet()) {
            highest = Math.max(highest, value.applyAsDouble(statistics));
        }
        return highest;
    }
}
