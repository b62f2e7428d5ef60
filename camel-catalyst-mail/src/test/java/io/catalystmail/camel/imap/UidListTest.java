package io.catalystmail.camel.imap;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The flagged UIDs awaiting their expunge and the UID sets sent for them, without a TreeSet of Longs. */
class UidListTest {

    @Test
    void givesTheUidsBackAscendingEachOnceAndForgetsTheRemovedOnes() {
        UidList list = new UidList();
        list.addAll(List.of(9L, 3L, 40L));
        list.addAll(List.of(3L, 7L));
        for (long uid = 100; uid < 140; uid++) {
            list.addAll(List.of(uid)); // grows past its first capacity
        }
        list.removeAll(List.of(40L, 120L, 5L));
        List<Long> taken = list.sortedDistinct();
        assertEquals(List.of(3L, 7L, 9L), taken.subList(0, 3));
        assertEquals(3 + 39, taken.size());
        assertTrue(!taken.contains(40L) && !taken.contains(120L));
        list.clear();
        assertTrue(list.isEmpty());
        assertEquals(List.of(), list.sortedDistinct());
    }

    @Test
    void aUidSetIsRangesOfTheSortedDistinctUids() {
        assertEquals(List.of("1:5,7,9:10"), UidSet.sets(List.of(10L, 9L, 7L, 5L, 4L, 3L, 2L, 1L, 3L, 7L)));
        assertEquals(List.of("42"), UidSet.sets(List.of(42L, 42L)));
        assertThrows(IllegalArgumentException.class, () -> UidSet.sets(List.of(0L, 3L)));
        assertThrows(IllegalArgumentException.class, () -> UidSet.sets(List.of()));
    }
}
