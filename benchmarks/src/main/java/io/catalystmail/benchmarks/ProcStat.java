package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One line of Linux's {@code /proc/[pid]/stat} or {@code /proc/[pid]/task/[tid]/stat} (proc(5)): "pid (comm) state
 * ppid ...". The command name may hold spaces and parentheses, so it ends at the last ')' and the fields are counted
 * after it, the state being the first. CPU times are in clock ticks of {@link #TICKS_PER_SECOND}.
 */
final class ProcStat {

    /** Linux's USER_HZ, the unit of the CPU times, on every architecture the harness runs on. */
    static final int TICKS_PER_SECOND = 100;

    private final String name;
    private final String[] fields;

    private ProcStat(String name, String[] fields) {
        this.name = name;
        this.fields = fields;
    }

    /** The stat of {@code file}; IOException when the process or thread has gone. */
    static ProcStat read(Path file) throws IOException {
        String line = Files.readString(file);
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("no command name in " + file + ": " + line);
        }
        return new ProcStat(line.substring(line.indexOf('(') + 1, close), line.substring(close + 2).split(" "));
    }

    /** The stat of process {@code pid}, or null when it has gone. */
    static ProcStat ofProcess(long pid) {
        try {
            return read(Path.of("/proc", String.valueOf(pid), "stat"));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
    }

    /** The command name (a thread's name, for a task's stat), as the kernel truncates it to 15 characters. */
    String name() {
        return name;
    }

    /** Field 4, the parent's pid. */
    int parentPid() {
        return Integer.parseInt(fields[1]);
    }

    /** Field 10, page faults served without I/O (first touches of fresh heap pages among them). */
    long minorFaults() {
        return Long.parseLong(fields[7]);
    }

    /** Fields 14 and 15, user and system CPU time, in ticks. */
    long cpuTicks() {
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Fields 16 and 17, the CPU time of the children that ended and were waited for, in ticks. */
    long endedChildrenTicks() {
        return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
    }
}
