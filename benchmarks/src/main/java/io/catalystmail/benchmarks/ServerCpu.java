package io.catalystmail.benchmarks;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of the mail servers' processes, read from Linux's /proc: for each given master process (Dovecot's,
 * Postfix's), the CPU of its live children plus what its children that ended have used ({@code cutime} and
 * {@code cstime} of the master: Dovecot's pop3 process ends with its session, at QUIT). The difference over a
 * measured phase is the server's share of the work, which moves less with the machine's load than wall time and
 * tells the server's costs (a mailbox's state, a client's commands) from the client's.
 */
final class ServerCpu {

    private ServerCpu() {
    }

    /**
     * The masters to watch: {@code given} ("P,P", "none"), or where it is null the Dovecot and Postfix masters of
     * {@code $CATALYST_SERVERS_DIR} as scripts/mail-servers.sh starts them, those whose pid files exist.
     */
    static List<Integer> pids(String given) {
        List<Integer> pids = new ArrayList<>();
        if (given != null) {
            if (!given.equals("none")) {
                for (String pid : given.split(",")) {
                    pids.add(Integer.parseInt(pid.trim()));
                }
            }
            return List.copyOf(pids);
        }
        String dir = System.getenv("CATALYST_SERVERS_DIR");
        if (dir == null || dir.isEmpty()) {
            return List.of();
        }
        for (Path pidFile : List.of(Path.of(dir, "run", "dovecot", "master.pid"),
                Path.of(dir, "postfix-queue", "pid", "master.pid"))) {
            try {
                pids.add(Integer.parseInt(Files.readString(pidFile).trim()));
            } catch (IOException | NumberFormatException e) {
                // that server is not running from there: it has no share to watch
            }
        }
        return List.copyOf(pids);
    }

    /** Seconds of CPU the masters' children have used so far, or -1 when there are none or /proc says nothing. */
    static double secondsSoFar(List<Integer> masters) {
        if (masters.isEmpty()) {
            return -1;
        }
        try {
            // a child the master reaps during the scan has left /proc but was not yet in the master's figure when
            // it was read, and would count nowhere (a POP3 session ends with the measured poll): read the ended
            // children's CPU before and after the scan of the live ones, and scan again if it moved
            for (int attempt = 0; attempt < MAX_SCANS; attempt++) {
                long ended = endedChildrenTicks(masters);
                long live = liveChildrenTicks(masters);
                if (endedChildrenTicks(masters) == ended) {
                    return (ended + live) / (double) ProcStat.TICKS_PER_SECOND;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /** Scans before giving up on a figure while the masters' children keep ending (each scan takes milliseconds). */
    private static final int MAX_SCANS = 200;

    private static long endedChildrenTicks(List<Integer> masters) throws IOException {
        long ticks = 0;
        for (int master : masters) {
            ProcStat stat = ProcStat.ofProcess(master);
            if (stat == null) {
                throw new IOException("server process " + master + " has gone");
            }
            ticks += stat.endedChildrenTicks();
        }
        return ticks;
    }

    /**
     * The masters' live children's CPU, from each master thread's {@code children} file (proc(5), Linux 3.5 with
     * CONFIG_PROC_CHILDREN): a handful of stat files instead of every process of the machine. The whole scan read
     * about 190 of them at each end of a measured phase, hot enough that its C2 compiles (String.split, Path.of,
     * Files.readString, up to 1.6 s for ProcStat.ofProcess at load 8) ran inside the measured windows, charged to
     * the component's JIT column (2026-12-01). Without those files, every process is scanned as before.
     */
    private static long liveChildrenTicks(List<Integer> masters) throws IOException {
        long ticks = 0;
        for (int master : masters) {
            List<Long> children = childrenOf(master);
            if (children == null) {
                return scannedChildrenTicks(masters);
            }
            for (long child : children) {
                ProcStat stat = ProcStat.ofProcess(child);
                if (stat != null) {
                    ticks += stat.cpuTicks();
                }
            }
        }
        return ticks;
    }

    /** The pids in the children files of {@code master}'s threads; null when the kernel has no such files. */
    private static List<Long> childrenOf(int master) throws IOException {
        List<Long> children = new ArrayList<>();
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(Path.of("/proc", String.valueOf(master), "task"))) {
            for (Path thread : threads) {
                String pids;
                try {
                    pids = Files.readString(thread.resolve("children"));
                } catch (IOException unread) {
                    if (Files.exists(thread.resolve("stat"))) {
                        return null; // a live thread without the file: the kernel has no children files
                    }
                    // the thread ended after the listing (a JVM's process reapers come and go; one such read cost a
                    // whole figure, -1, in CI on 2026-12-03); the children of a thread that ends pass to another
                    // thread of its process, whose file lists them at the next scan
                    continue;
                }
                for (String pid : pids.trim().split(" ")) {
                    if (!pid.isEmpty()) {
                        children.add(Long.parseLong(pid));
                    }
                }
            }
        }
        return children;
    }

    private static long scannedChildrenTicks(List<Integer> masters) throws IOException {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), ServerCpu::isProcess)) {
            for (Path process : processes) {
                ProcStat stat = ProcStat.ofProcess(Long.parseLong(process.getFileName().toString()));
                if (stat != null && masters.contains(stat.parentPid())) {
                    ticks += stat.cpuTicks();
                }
            }
        }
        return ticks;
    }

    private static boolean isProcess(Path entry) {
        String name = entry.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
