package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class MessageRefTest {

    private static final Instant DATE = Instant.parse("2026-11-30T20:00:00Z");
    private static final String IDENTITY = "imap://bob@mail.example.test/INBOX;UIDVALIDITY=7/;UID=42";

    @Test
    void refsAreEqualWhenEveryComponentIsAndThenHashAlike() {
        MessageRef ref = new MessageRef("42", 0, 1200, DATE, IDENTITY);
        MessageRef same = new MessageRef(new String("42"), 0, 1200, Instant.parse("2026-11-30T20:00:00Z"),
                new String(IDENTITY));

        assertEquals(ref, same);
        assertEquals(ref.hashCode(), same.hashCode());
        assertEquals(Set.of(ref), new HashSet<>(List.of(same)), "found as a map or set key");
    }

    @Test
    void anyComponentThatDiffersMakesAnotherRef() {
        MessageRef ref = new MessageRef("42", 0, 1200, DATE, IDENTITY);

        for (MessageRef other : List.of(new MessageRef("43", 0, 1200, DATE, IDENTITY),
                new MessageRef("42", 3, 1200, DATE, IDENTITY), new MessageRef("42", 0, 1201, DATE, IDENTITY),
                new MessageRef("42", 0, 1200, null, IDENTITY), new MessageRef("42", 0, 1200, DATE, IDENTITY + "3"))) {
            assertNotEquals(ref, other, other.toString());
            assertNotEquals(other, ref, other.toString());
        }
        assertNotEquals(ref, IDENTITY);
        assertNotEquals(ref, null);
    }
}
