package io.catalystmail.camel.interop;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Several JVMs on one mailbox (Dovecot, or Apache James) with {@code delete=true}, one killed with SIGKILL at a random moment and
 * replaced: nothing lost, the mailbox empty at the end, duplicates within the documented bound. A small variant
 * of {@code benchmarks/several-nodes.sh} (3 JVMs x 3,000 messages x 2 kills x 5 runs), so CI stays short.
 */
class SeveralNodesInteropIT {

    private static final int FETCH_SIZE = 10;
    /**
     * Two rounds a poll. A poll must end well within the orphan-lock age ({@link MailNode#LOCK_MAX_AGE_MILLIS}):
     * on a loaded machine a poll of 50 took 42 s, and what the killed node had flagged stayed in the mailbox.
     */
    private static final int MAX_PER_POLL = 20;
    private static final int MESSAGES = 150;

    @BeforeAll
    static void requireClusterServices() {
        // runs on both servers of the interop suite (Dovecot, then Apache James: CI keeps the first run's ZooKeeper
        // and PostgreSQL variables when it switches to James's with `env-james`)
        for (String name : new String[] {"CATALYST_ZK_CONNECT", "CATALYST_PG_URL", "CATALYST_MAIL_HOST"}) {
            if (System.getenv(name) == null) {
                fail(name + " is not set: " + InteropTestSupport.HOW_TO_START);
            }
        }
    }

    /**
     * Active-active over the orphan-lock JDBC repository: while all live each message is routed by one node; the
     * killed node's reservations expire after the lock age and another node takes them. Routed twice: only what
     * the killed node had routed and not yet flagged on the server, the round in its route (at most
     * fetchRoundSize, one more in a poll's last round: several-nodes.adoc, "Why the window is one round");
     * committed twice: none, as each route records the key with its effect in one transaction. What the killed node
     * flagged \Deleted $CatalystMailDone and did not expunge is expunged by another, whatever the repository knows
     * then; the repository keeps at most the killed node's keys of its last two polls (idempotentRemoveOnCommit).
     */
    @Test
    void activeActiveNodesLoseNothingWhenOneIsKilled() throws Exception {
        Path work = Files.createTempDirectory("several-nodes-aa");
        SeveralNodesRun.Result result = new SeveralNodesRun("active-active", "bob", FETCH_SIZE, MAX_PER_POLL, work,
                System.nanoTime()).run(3, MESSAGES, 1, 300_000);
        System.out.println("active-active: " + result.describe());
        assertEquals(0, result.lost(), result.describe());
        assertEquals(0, result.leftOnServer(), result.describe());
        assertEquals(0, result.effectDuplicates(), result.describe());
        assertTrue(result.duplicates() <= FETCH_SIZE + 1, result.describe());
        // idempotentRemoveOnCommit: a key leaves the orphan-lock repository one poll after its message's expunge was
        // answered; only the killed node's keys expunged in its last two polls may stay (without it: every key)
        assertTrue(result.lockRows() <= 2 * MAX_PER_POLL, result.describe());
        assertTrue(result.linesPerNode().values().stream().filter(n -> n > 0).count() >= 2,
                "more than one node routed: " + result.describe());
    }

    /**
     * Active-passive on ZooKeeper with a shared JDBC repository: the standby takes over after the leader's
     * session expires; the only message routed twice can be the exchange in the leader's route when it died, and
     * it is committed once.
     */
    @Test
    void theStandbyTakesOverFromAKilledLeader() throws Exception {
        Path work = Files.createTempDirectory("several-nodes-ha");
        SeveralNodesRun.Result result = new SeveralNodesRun("active-passive", "bob", FETCH_SIZE, MAX_PER_POLL, work,
                System.nanoTime()).run(2, MESSAGES, 1, 300_000);
        System.out.println("active-passive: " + result.describe());
        assertEquals(0, result.lost(), result.describe());
        assertEquals(0, result.leftOnServer(), result.describe());
        assertEquals(0, result.effectDuplicates(), result.describe());
        assertTrue(result.duplicates() <= 1, result.describe());
    }
}
