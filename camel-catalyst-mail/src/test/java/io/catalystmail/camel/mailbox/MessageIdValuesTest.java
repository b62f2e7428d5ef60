package io.catalystmail.camel.mailbox;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class MessageIdValuesTest {

    @Test
    void theFirstNonEmptyValueIsTheKeyAsTheMapperTakesIt() {
        assertEquals("<b@x>", MessageIdValues.first(List.of("", "<b@x>", "<c@x>")));
    }

    @Test
    void noValueMeansTheLocationKey() {
        assertEquals(MessageIdValues.NONE, MessageIdValues.first(List.of()));
        assertEquals(MessageIdValues.NONE, MessageIdValues.first(List.of("")));
    }

    @Test
    void aValueLongerThanALineIsNotLearned() {
        assertEquals(998, MessageIdValues.first(List.of("y".repeat(998))).length());
        assertNull(MessageIdValues.first(List.of("y".repeat(999))));
    }
}
