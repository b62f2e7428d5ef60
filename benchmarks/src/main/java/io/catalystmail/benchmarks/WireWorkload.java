package io.catalystmail.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;

/** The raw wire's clients (ours for IMAP and POP3, Postfix's smtp-source for SMTP), the yardstick of every ratio. */
final class WireWorkload {

    private WireWorkload() {
    }

    /**
     * The raw wire: the warm-up messages first (IMAP and POP3, in rounds of the measured size, so the JIT has seen
     * the client's loops), then measured as a consume run is. smtp-source is a C program: nothing to warm up.
     */
    static MeasuredPhases.Results run(RunSpec spec) throws Exception {
        ComponentUnderTest.Target target = spec.target();
        Workload.Protocol protocol = spec.workload().protocol();
        if (protocol == Workload.Protocol.SMTP) {
            Path message = WorkloadMain.tmpDir().resolve("smtp-source-message.txt");
            WireClients.writeSmtpSourceMessage(message, TestMessage.standard(spec.from(), spec.to(), 1));
            double serverCpu = ServerCpu.secondsSoFar(spec.serverPids());
            double load = ResultsFile.oneMinuteLoad();
            long start = System.nanoTime();
            WireClients.smtpSource(target, spec.from(), spec.to(), spec.messages(), spec.workload().senders(), message,
                    spec.timeoutSeconds());
            double seconds = (System.nanoTime() - start) / 1e9;
            Files.delete(message);
            // the servers' CPU up to the delivery of the measured messages (Measured.withServerCpuUntilDelivered);
            // smtp-source's own CPU is another process's: not counted
            new MailboxRefill().awaitDelivered(spec.messages());
            return MeasuredPhases.Results.only(Measured.wallOnly(seconds, -1, spec.messages(), load)
                    .withServerCpuUntilDelivered(serverCpu, ServerCpu.secondsSoFar(spec.serverPids())));
        }
        CompilerSettling.Batch warmUp = count -> wireRound(protocol, target, count);
        for (int done = 0; done < spec.warmup(); done += spec.messages()) {
            warmUp.move(Math.min(spec.messages(), spec.warmup() - done));
        }
        return MeasuredPhases.afterWarmUps(spec, phase -> {
            MeasurementStart start = MeasurementStart.now(phase, spec.serverPids());
            long bytes = wireRound(protocol, target, spec.messages());
            return start.measured(spec.messages(), bytes);
        }, warmUp, spec.messages(), new MailboxRefill()::add);
    }

    private static long wireRound(Workload.Protocol protocol, ComponentUnderTest.Target target, int messages)
            throws Exception {
        return protocol == Workload.Protocol.IMAP ? WireClients.imapFetchAndDelete(target, messages)
                : WireClients.pop3RetrieveAndDelete(target, messages);
    }
}
