package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** A field's name is given exactly as sent, whether a known constant stands for it or not. */
class FieldNamesTest {

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"Subject", "SUBJECT", "subject", "Message-ID", "Message-Id", "message-id",
            "Content-Transfer-Encoding", "content-transfer-encoding", "X-Custom", "X-Very-Long-Field-Name-Beyond-All",
            "T", "Tx", "To"})
    void theNameIsAsSent(String name) {
        byte[] field = (" \r" + name + ": value").getBytes(StandardCharsets.US_ASCII);
        assertEquals(name, FieldNames.name(field, 2, 2 + name.length()));
    }

    @Test
    void aKnownNameSpelledAsMailProgramsDoIsTheSameStringEachTime() {
        byte[] first = "Content-Type: text/plain".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "x Content-Type: text/html".getBytes(StandardCharsets.US_ASCII);
        assertSame(FieldNames.name(first, 0, 12), FieldNames.name(second, 2, 14));
    }
}
