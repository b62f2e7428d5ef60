package io.catalystmail.camel.nodes;

import java.time.Duration;
import java.util.function.IntSupplier;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;

/** The mailbox the several-nodes tests share out: alice's INBOX on GreenMail's IMAP, filled with m1, m2, ... */
final class AliceInbox {

    private AliceInbox() {
    }

    /** GreenMail's IMAP on a free port, with the user alice (password s3cret). */
    static GreenMailExtension server() {
        return new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
                .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice", "alice", "s3cret"));
    }

    /** Delivers m{first} to m{last}, each with the body "body N". */
    static void fill(GreenMailExtension greenMail, int first, int last) {
        for (int i = first; i <= last; i++) {
            deliver(greenMail, "alice", textMessage("m" + i, "body " + i));
        }
    }

    /** Waits until {@code count} messages were routed (by subject or UID: as the test counts) and none is left. */
    static void awaitAllRoutedAndGone(GreenMailExtension greenMail, IntSupplier routed, int count) {
        Eventually.await(Duration.ofSeconds(60),
                () -> routed.getAsInt() == count && messages(greenMail, "alice", "INBOX").isEmpty(),
                () -> routed.getAsInt() + " of " + count + " routed, " + messages(greenMail, "alice", "INBOX").size()
                      + " left on the server");
    }
}
