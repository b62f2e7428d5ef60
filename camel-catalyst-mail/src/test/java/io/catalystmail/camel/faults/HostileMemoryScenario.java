package io.catalystmail.camel.faults;

import java.io.InputStream;
import java.util.function.Function;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.HostileBytes;

import static io.catalystmail.camel.testsupport.FaultProxy.tagOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The memory cases of the hostile-server suite, each run by {@link HostileMemoryTest} in a JVM of its own with a
 * 64 MiB heap: a server answers one command with something that used to become far more objects than that heap
 * holds. The scenario passes when the consumer survives it, reports what it must, and delivers the next good
 * message; it exits 0 then, 1 with the failure otherwise.
 */
public final class HostileMemoryScenario {

    /** The scenarios, by name: what the server sends and what the consumer must show for it. */
    enum Case {
        /** RFC 4731 ESEARCH: twenty octets that expand to two million UIDs; the default limits must hold them. */
        ESEARCH_ALL_TWO_MILLION("imap", "UID SEARCH", line -> HostileBytes.of("* ESEARCH (TAG \"" + tagOf(line)
                + "\") UID ALL 1:1999999\r\n", i -> "", 0, tagOf(line) + " OK done\r\n"), "", null),
        /** Five million separate UIDs on one SEARCH line (as Long objects in a set: some 350 MB). */
        SEARCH_FIVE_MILLION_ONE_LINE("imap", "UID SEARCH", line -> HostileBytes.of("* SEARCH", i -> " " + (2 * i + 1),
                5_000_000, "\r\n" + tagOf(line) + " OK done\r\n"), "&maxMessagesPerPoll=1", null),
        /** The same spread over five thousand SEARCH lines. */
        SEARCH_FIVE_MILLION_MANY_LINES("imap", "UID SEARCH", line -> HostileBytes.of("", i -> (i % 1000 == 0
                ? (i == 0 ? "* SEARCH" : "\r\n* SEARCH") : "") + " " + (2 * i + 1), 5_000_000,
                "\r\n" + tagOf(line) + " OK done\r\n"), "&maxMessagesPerPoll=1", null),
        /** A 200 MB line of one-octet words: bounded by the objects it would make, not by its octets. */
        LINE_OF_ONE_OCTET_WORDS("imap", "UID SEARCH", line -> HostileBytes.repeat("* FLAGS (", "a ", 100_000_000,
                ")\r\n" + tagOf(line) + " OK done\r\n"), "", "octets in memory"),
        /** Four 16 MiB literals in one response. */
        FOUR_LITERALS_OF_16_MIB("imap", "UID FETCH", line -> HostileBytes.of("* 1 FETCH (UID 1",
                i -> " X" + i + " {16777216}\r\n" + "z".repeat(16_777_216), 4, ")\r\n" + tagOf(line) + " OK\r\n"), "",
                "exceeds the limit of 8388608"),
        /** A legitimate 30 MB text/plain message: its text body becomes a file-backed stream, not a String. */
        TEXT_BODY_OF_30_MB("imap", "UID FETCH", line -> {
            String head = "Subject: thirty megabytes\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n";
            long lines = 2_500_000; // 12 octets each
            long size = head.length() + lines * 12;
            return HostileBytes.repeat("* 1 FETCH (UID 1 FLAGS () RFC822.SIZE " + size + " BODY[] {" + size + "}\r\n"
                    + head, "lorem ipsum\r\n".substring(1), lines, ")\r\n" + tagOf(line) + " OK done\r\n");
        }, "", null),
        /** POP3 UIDL with two million lines (as a list of Strings: some 150 MB). */
        UIDL_TWO_MILLION_LINES("pop3", "UIDL", line -> HostileBytes.of("+OK\r\n", i -> (i + 1) + " uidl-" + i + "\r\n",
                2_000_000, ".\r\n"), "&maxMessagesPerPoll=1", null),
        /** A CAPA answer without end. */
        ENDLESS_CAPA("pop3", "CAPA", line -> HostileBytes.repeat("+OK\r\n", "X-CAPABILITY\r\n", HostileBytes.ENDLESS,
                ""), "", "more than 1000 lines answering CAPA");

        final String protocol;
        final String trigger;
        final Function<String, InputStream> answer;
        final String options;
        final String error;

        Case(String protocol, String trigger, Function<String, InputStream> answer, String options, String error) {
            this.protocol = protocol;
            this.trigger = trigger;
            this.answer = answer;
            this.options = options;
            this.error = error;
        }
    }

    private HostileMemoryScenario() {
    }

    public static void main(String[] args) throws Exception {
        try {
            run(Case.valueOf(args[0]));
            System.out.println("SCENARIO PASSED");
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }

    static void run(Case c) throws Exception {
        boolean imap = c.protocol.equals("imap");
        ServerSetup setup = (imap ? ServerSetupTest.IMAP : ServerSetupTest.POP3).dynamicPort();
        GreenMail greenMail = new GreenMail(setup);
        greenMail.start();
        try {
            greenMail.setUser("mia", "mia", "s3cret");
            deliver(greenMail, "mia", textMessage("first", "body"));
            int upstream = imap ? greenMail.getImap().getPort() : greenMail.getPop3().getPort();
            try (FaultProxy proxy = new FaultProxy(upstream)) {
                proxy.answer(c.trigger, c.answer::apply, 0);
                String uri = "catalystmail:" + c.protocol + ":127.0.0.1:" + proxy.port() + "?username=mia&password=s3cret"
                             + "&connectTimeout=5000&readTimeout=10000&fetchTimeout=60000" + c.options
                             + (imap ? "" : "&delete=true");
                // a generous deadline: millions of lines take a while on a loaded machine; the heap is the point here
                try (HostileServerRun run = new HostileServerRun(uri, java.time.Duration.ofSeconds(90)).start()) {
                    if (c.error != null) {
                        run.awaitError("127.0.0.1:" + proxy.port(), c.error);
                    }
                    if (c == Case.TEXT_BODY_OF_30_MB) {
                        run.awaitProcessed("thirty megabytes");
                        assertTrue(InputStream.class.isAssignableFrom(run.bodyType("thirty megabytes")),
                                "a stream, not a String: " + run.bodyType("thirty megabytes"));
                    } else {
                        run.awaitProcessed("first");
                    }
                    deliver(greenMail, "mia", textMessage("next", "body"));
                    run.awaitProcessed("next");
                    assertTrue(proxy.fired(), "the hostile answer was sent");
                    assertEquals(false, run.errorText().contains("OutOfMemoryError"), run.errorText());
                    run.assertStillPolling();
                }
            }
        } finally {
            greenMail.stop();
        }
    }
}
