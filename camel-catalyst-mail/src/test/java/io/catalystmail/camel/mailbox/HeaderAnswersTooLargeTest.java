package io.catalystmail.camel.mailbox;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The polls without header answers are counted once per poll, apart from the question: a poll that asks whether it
 * may fetch headers twice (the Message-ID step and the listing by date both hold one of these) uses up one poll, not
 * two. Before, the question counted down as it answered.
 */
class HeaderAnswersTooLargeTest {

    private static final HeaderAnswerTooLargeException NAMING_NO_MESSAGE = new HeaderAnswerTooLargeException(
            "an answer before its UID", null);

    @Test
    void anAnswerNamingNoMessageLeavesOutTheHeadersOfTheNextTenPollsHoweverOftenEachAsks() {
        HeaderAnswersTooLarge answers = new HeaderAnswersTooLarge();
        answers.pollBegins();
        assertTrue(answers.headersAsked());
        answers.remember(NAMING_NO_MESSAGE);
        assertFalse(answers.headersAsked(), "the rest of the poll that met it asks no more");
        List<Boolean> asked = new ArrayList<>();
        for (int poll = 0; poll < HeaderAnswersTooLarge.POLLS_WITHOUT_HEADERS + 2; poll++) {
            answers.pollBegins();
            boolean first = answers.headersAsked();
            assertEquals(first, answers.headersAsked(), "the same answer, asked again in poll " + poll);
            asked.add(first);
        }
        List<Boolean> expected = new ArrayList<>();
        for (int poll = 0; poll < HeaderAnswersTooLarge.POLLS_WITHOUT_HEADERS; poll++) {
            expected.add(false);
        }
        expected.add(true);
        expected.add(true);
        assertEquals(expected, asked);
    }

    @Test
    void anAnswerNamingAMessageLeavesOutThatMessageOnly() {
        HeaderAnswersTooLarge answers = new HeaderAnswersTooLarge();
        answers.pollBegins();
        answers.remember(new HeaderAnswerTooLargeException("UID 2's answer is 5 GB", "7:2"));
        answers.pollBegins();
        assertTrue(answers.headersAsked());
        assertTrue(answers.knows("7:2"));
        assertFalse(answers.knows("7:3"));
    }
}
