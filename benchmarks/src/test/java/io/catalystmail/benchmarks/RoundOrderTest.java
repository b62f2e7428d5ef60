package io.catalystmail.benchmarks;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.catalystmail.benchmarks.ComponentUnderTest.CAMEL_MAIL;
import static io.catalystmail.benchmarks.ComponentUnderTest.CATALYSTMAIL;
import static io.catalystmail.benchmarks.ComponentUnderTest.WIRE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The order of the runs: a workload's rounds in a row, each round's component and wire next to each other. */
class RoundOrderTest {

    @Test
    void theComponentAndTheWireRunNextToEachOtherFirstOneThenTheOtherFirstAndCamelMailAfterThem() {
        List<ComponentUnderTest> components = List.of(CATALYSTMAIL, CAMEL_MAIL, WIRE);

        assertEquals(List.of(CATALYSTMAIL, WIRE, CAMEL_MAIL), BenchmarkDriver.order(components, 1));
        assertEquals(List.of(WIRE, CATALYSTMAIL, CAMEL_MAIL), BenchmarkDriver.order(components, 2));
        assertEquals(List.of(WIRE, CATALYSTMAIL), BenchmarkDriver.order(List.of(WIRE, CATALYSTMAIL), 3));
    }

    @Test
    void workloadsMeasuredAgainstTheSameWireRunTheirRoundsTogether() {
        assertEquals(List.of(List.of(Workload.IMAP_CONSUME, Workload.IMAP_CONSUME_RAW), List.of(Workload.SMTP_SEND),
                        List.of(Workload.POP3_CONSUME_RAW, Workload.POP3_CONSUME), List.of(Workload.IMAP_LARGE_ATTACHMENT)),
                BenchmarkDriver.wireGroups(List.of(Workload.IMAP_CONSUME, Workload.SMTP_SEND, Workload.POP3_CONSUME_RAW,
                        Workload.IMAP_CONSUME_RAW, Workload.POP3_CONSUME, Workload.IMAP_LARGE_ATTACHMENT)));
    }
}
