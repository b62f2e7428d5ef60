package io.catalystmail.camel.leaks;

import java.time.Duration;

import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.testsupport.LeakCheck;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Sends the same exchange again and again and checks each one ended as the scenario means to. */
final class RepeatedSends {

    /**
     * Sends are synchronous, nothing runs between two of them: the quiet window only lets the proxy's and the
     * server's ends of the last connection close.
     */
    static final LeakCheck CHECK = new LeakCheck(2, 5, Duration.ofMillis(300));

    private RepeatedSends() {
    }

    /** {@link #CHECK}s that sending {@code body} to {@code uri} again and again leaves nothing behind. */
    static void leaveNothingBehind(ProducerTemplate template, String uri, Object body, boolean fail, String what)
            throws Exception {
        String[] last = { "" };
        CHECK.assertNothingLeft(times -> last[0] = send(template, uri, body, times, fail), what, () -> last[0]);
    }

    /**
     * Sends {@code times} exchanges with {@code body} to {@code uri}; each must fail when {@code fail}, else succeed.
     * Returns the last failure's text ("" when none).
     */
    private static String send(ProducerTemplate template, String uri, Object body, int times, boolean fail) {
        String last = "";
        for (int i = 0; i < times; i++) {
            // a guard against a hang, not a speed limit: a silent server costs a read timeout of 500 ms
            Exchange sent = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> template.send(uri, e -> {
                e.getIn().setHeader(CatalystMailConstants.SUBJECT, "leak test");
                e.getIn().setBody(body);
            }));
            if (fail) {
                assertNotNull(sent.getException(), "the exchange failed");
                last = sent.getException().toString();
            } else {
                assertNull(sent.getException(), () -> "the exchange succeeded: " + sent.getException());
            }
        }
        return last;
    }
}
