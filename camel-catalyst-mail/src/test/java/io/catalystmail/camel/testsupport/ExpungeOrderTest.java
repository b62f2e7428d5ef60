package io.catalystmail.camel.testsupport;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The log checks of {@link ExpungeOrder} match a tag to its command within one connection: tags start again with each
 * connection, so an answer on the next connection with a tag the last one left unanswered is another command's.
 * Protocol logs as {@link CapturedLog} writes them.
 */
class ExpungeOrderTest {

    private static final String CONNECTION = "DEBUG|io.catalystmail.camel.imap.ImapConnection|";
    private static final String GREETING = CONNECTION + "S: * OK [CAPABILITY IMAP4rev1 UIDPLUS] ready (greeting from"
            + " 127.0.0.1:143)\n";

    @Test
    void anExpungeAfterItsFlagWasAnsweredOnTheSameConnectionPasses() {
        ExpungeOrder.assertExpungesFollowAnsweredFlags(GREETING
                + CONNECTION + "C: A7 UID STORE 5 +FLAGS.SILENT (\\Deleted)\n"
                + CONNECTION + "S: A7 OK done\n"
                + CONNECTION + "C: A8 UID EXPUNGE 5\n");
    }

    @Test
    void anAnswerOnTheNextConnectionWithTheSameTagDoesNotAnswerTheLostFlag() {
        String log = GREETING
                + CONNECTION + "C: A7 UID STORE 5 +FLAGS.SILENT (\\Deleted)\n"
                + GREETING
                + CONNECTION + "S: A7 OK [READ-WRITE] selected\n"
                + CONNECTION + "C: A8 UID EXPUNGE 5\n";
        assertThrows(AssertionError.class, () -> ExpungeOrder.assertExpungesFollowAnsweredFlags(log));
    }

    @Test
    void aCommandOnTheNextConnectionDoesNotWaitForTheLostOnesAnswerButForItsOwnConnections() {
        String log = GREETING
                + CONNECTION + "C: A7 UID STORE 5 +FLAGS.SILENT (\\Seen)\n"
                + CONNECTION + "S: A7 OK done\n"
                + CONNECTION + "C: A8 UID MOVE 5 Done\n"
                + GREETING
                + CONNECTION + "C: A8 UID STORE 5 +FLAGS.SILENT (\\Seen)\n"
                + CONNECTION + "S: A8 OK done\n"
                + CONNECTION + "C: A9 UID MOVE 5 Done\n";
        assertEquals(3, ExpungeOrder.assertDependentCommandsFollowAnswers(log));
        String pipelined = GREETING
                + CONNECTION + "C: A7 UID STORE 5 +FLAGS.SILENT (\\Seen)\n"
                + GREETING
                + CONNECTION + "C: A7 UID STORE 6 +FLAGS.SILENT (\\Seen)\n"
                + CONNECTION + "S: A7 OK done\n"
                + CONNECTION + "C: A8 UID STORE 6 -FLAGS.SILENT (\\Seen)\n"
                + CONNECTION + "C: A9 UID MOVE 6 Done\n";
        assertThrows(AssertionError.class, () -> ExpungeOrder.assertDependentCommandsFollowAnswers(pipelined));
    }
}
