package io.catalystmail.benchmarks;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The protocol timeline of a measured run ({@code --protocol-log true}): every IMAP command sent and every tagged
 * answer read (POP3: every command and every status line), with microsecond timestamps, in the run's log, for the
 * measured poll only (the warm-up would bury it). catalystmail's own DEBUG lines give it ({@code C:} when a command goes out, {@code S:} when its tagged answer
 * is read); the wire client writes the same two kinds of line itself. Off by default: logging costs time.
 */
final class ProtocolLog {

    static final String PROPERTY = "benchmarks.protocolLog";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private static volatile boolean measuring;

    private ProtocolLog() {
    }

    static boolean enabled() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** From now on the IMAP commands and tagged answers are logged, if asked for. */
    static void measuredPhaseStarts() {
        if (!enabled()) {
            return;
        }
        measuring = true;
        // ImapConnection logs each command sent, CommandsInFlight each tagged answer read; Pop3Connection both
        Configurator.setLevel("io.catalystmail.camel.imap.ImapConnection", Level.DEBUG);
        Configurator.setLevel("io.catalystmail.camel.imap.CommandsInFlight", Level.DEBUG);
        Configurator.setLevel("io.catalystmail.camel.pop3.Pop3Connection", Level.DEBUG);
        line("measured phase starts");
    }

    /** True while the measured phase's timeline is written: a caller building a line per message asks first. */
    static boolean measuring() {
        return measuring;
    }

    /** A line of the wire client's timeline, in the format of the component's log lines. */
    static void wire(String text) {
        if (measuring) {
            line(text);
        }
    }

    private static void line(String text) {
        System.err.println(LocalTime.now().format(TIME) + " DEBUG [" + Thread.currentThread().getName() + "] timeline - "
                           + text);
    }
}
