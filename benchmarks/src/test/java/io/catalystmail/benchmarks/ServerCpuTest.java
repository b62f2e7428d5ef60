package io.catalystmail.benchmarks;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ServerCpuTest {

    @Test
    void theCpuOfAMastersChildrenCountsWhileTheyRunAndAfterTheyEnded() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux's /proc only");
        // this JVM plays the server's master; a shell busy counting is its child (a pop3 session, say)
        List<Integer> master = List.of((int) ProcessHandle.current().pid());
        double before = ServerCpu.secondsSoFar(master);
        Process child = new ProcessBuilder("sh", "-c",
                "i=0; while [ $i -lt 400000 ]; do i=$((i+1)); done; echo counted; read x").start();
        try {
            // the line comes once the busy part is over; the child lives on, reading its input
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII));
            assertEquals("counted", out.readLine());
            // a live child counts through its own /proc entry (a session that has not ended yet)
            double whileRunning = ServerCpu.secondsSoFar(master);
            assertTrue(whileRunning - before >= 0.1, before + " -> " + whileRunning);
            child.getOutputStream().close();
            assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            // once ended and reaped, through the master's cutime and cstime, not lost
            double after = ServerCpu.secondsSoFar(master);
            assertTrue(after >= whileRunning, whileRunning + " -> " + after);
        } finally {
            child.destroyForcibly().waitFor();
            child.getInputStream().close();
            child.getErrorStream().close();
        }
    }

    @Test
    void childrenEndingWhileTheProcessesAreScannedAreNeverLost() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "Linux's /proc only");
        List<Integer> master = List.of((int) ProcessHandle.current().pid());
        AtomicReference<String> drop = new AtomicReference<>();
        AtomicBoolean children = new AtomicBoolean(true);
        // short sessions, one after another, each reaped by this JVM as a master reaps its pop3 processes
        Thread sessions = new Thread(() -> {
            try {
                for (int i = 0; i < 40; i++) {
                    Process child = new ProcessBuilder("sh", "-c",
                            "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done").start();
                    child.waitFor(60, TimeUnit.SECONDS);
                    child.getInputStream().close();
                    child.getErrorStream().close();
                    child.getOutputStream().close();
                }
            } catch (Exception e) {
                drop.compareAndSet(null, e.toString());
            } finally {
                children.set(false);
            }
        });
        sessions.start();
        double last = ServerCpu.secondsSoFar(master);
        int samples = 0;
        while (children.get()) {
            double now = ServerCpu.secondsSoFar(master);
            samples++;
            if (now < last) {
                drop.compareAndSet(null, "the figure fell from " + last + " to " + now + " at sample " + samples);
            }
            last = Math.max(last, now);
        }
        sessions.join();
        assertEquals(null, drop.get());
    }

    @Test
    void noMastersNoFigure() {
        assertEquals(-1, ServerCpu.secondsSoFar(List.of()));
        assertEquals(List.of(), ServerCpu.pids("none"));
        assertEquals(List.of(12, 34), ServerCpu.pids("12, 34"));
    }
}
