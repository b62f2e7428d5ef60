package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import io.catalystmail.camel.mailbox.MessageRef;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The unboxed UID map a fetch looks its bodies up in answers as a HashMap would, through growth and removals. */
class RefsByUidTest {

    private static MessageRef ref(long uid) {
        return new MessageRef(Long.toString(uid), 0, 100, null, "imap://u@h/INBOX;UIDVALIDITY=1/;UID=" + uid);
    }

    @Test
    void answersAsAHashMapDoesThroughRandomPutsAndRemovals() {
        Random random = new Random(3501);
        for (int trial = 0; trial < 200; trial++) {
            RefsByUid refs = new RefsByUid(random.nextInt(40));
            Map<Long, MessageRef> model = new HashMap<>();
            // a narrow range of UIDs makes the probe chains collide and wrap, which is what removal must get right
            long base = random.nextBoolean() ? 1 : 4_000_000_000L;
            int range = 1 + random.nextInt(300);
            for (int step = 0; step < 2_000; step++) {
                long uid = base + random.nextInt(range);
                if (random.nextInt(3) == 0) {
                    assertSame(model.remove(uid), refs.remove(uid), "remove " + uid);
                } else {
                    MessageRef ref = ref(uid);
                    model.put(uid, ref);
                    refs.put(uid, ref);
                }
                long probe = base + random.nextInt(range);
                assertEquals(model.containsKey(probe), refs.contains(probe), "contains " + probe);
                assertEquals(model.size(), refs.size());
            }
            for (Map.Entry<Long, MessageRef> entry : model.entrySet()) {
                assertSame(entry.getValue(), refs.remove(entry.getKey()));
            }
            assertEquals(0, refs.size());
        }
    }

    @Test
    void holdsARoundOfConsecutiveUidsAndGivesEachOnce() {
        RefsByUid refs = new RefsByUid(2);
        List<MessageRef> round = new ArrayList<>();
        for (long uid = 1_000; uid < 3_000; uid++) {
            round.add(ref(uid));
            refs.put(uid, round.get(round.size() - 1));
        }
        assertEquals(2_000, refs.size());
        for (MessageRef ref : round) {
            assertSame(ref, refs.remove(ref.uid()));
            assertNull(refs.remove(ref.uid()), "a body delivered twice");
        }
        assertFalse(refs.contains(1_000));
    }

    @Test
    void refusesWhatIsNotAUid() {
        RefsByUid refs = new RefsByUid(4);
        assertThrows(IllegalArgumentException.class, () -> refs.put(0, ref(1)));
        assertFalse(refs.contains(0));
        assertFalse(refs.contains(-1));
        assertNull(refs.remove(-1));
        refs.put(1, ref(1));
        assertTrue(refs.contains(1));
    }
}
