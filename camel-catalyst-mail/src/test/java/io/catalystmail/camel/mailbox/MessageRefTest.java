package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    @Test
    void uidIsTheDecimalIdAndAnythingElseIsNoUid() {
        assertEquals(42, new MessageRef("42", 0, 1200, DATE, IDENTITY).uid());
        assertEquals(4_294_967_295L, new MessageRef("4294967295", 0, 1200, DATE, IDENTITY).uid());
        assertEquals(123_456_789_012_345_678L, new MessageRef("123456789012345678", 0, 1, DATE, IDENTITY).uid());

        for (String notAUid : List.of("", "+42", "-42", "4 2", "42a", "x", "1234567890123456789", "\u0660")) {
            NumberFormatException e = assertThrows(NumberFormatException.class,
                    () -> new MessageRef(notAUid, 0, 1200, DATE, IDENTITY).uid(), notAUid);
            assertEquals("not an IMAP UID: \"" + notAUid + "\"", e.getMessage());
        }
    }
}
