package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatTest {

    @Test
    void fieldsAreCountedAfterTheLastParenthesisOfTheName(@TempDir Path dir) throws Exception {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        Path stat = Files.writeString(dir.resolve("stat"),
                "4711 (C2 Compiler) (x)) S 42 1 1 0 -1 0 815 0 0 0 7 3 20 5 20");

        ProcStat parsed = ProcStat.read(stat);

        assertEquals("C2 Compiler) (x)", parsed.name());
        assertEquals(42, parsed.parentPid());
        assertEquals(815, parsed.minorFaults());
        assertEquals(10, parsed.cpuTicks());
        assertEquals(25, parsed.endedChildrenTicks());
    }

    @Test
    void thisProcessHasUsedCpuAndAGoneOneHasNoStat() {
        ProcStat self = ProcStat.ofProcess(ProcessHandle.current().pid());

        assertTrue(self.cpuTicks() > 0 && self.minorFaults() > 0);
        assertNull(ProcStat.ofProcess(Long.MAX_VALUE));
    }
}
