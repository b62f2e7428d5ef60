package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** UID sets cut so that no command line built from one outgrows what servers accept (RFC 7162 §4: ~8,192 octets). */
class UidSetPiecesTest {

    @Test
    void aHundredThousandScatteredTenDigitUidsGoInPiecesOfAtMostTheLimitThatTogetherNameEachOnce() {
        List<Long> uids = new ArrayList<>();
        for (long uid = 4_000_200_000L; uids.size() < 100_000; uid -= 3) {
            uids.add(uid); // descending and scattered: "4000199997,4000200000" cannot become a range
        }
        List<UidSet.Piece> pieces = UidSet.pieces(uids);
        List<Long> named = new ArrayList<>();
        for (UidSet.Piece piece : pieces) {
            assertTrue(piece.set().length() <= UidSet.MAX_SET_OCTETS, () -> piece.set().length() + " octets");
            // the text names exactly the piece's UIDs
            UidRanges parsed = new UidRanges(1_000_000);
            UidSet.parseInto(piece.set(), parsed);
            assertEquals(piece.uids(), parsed.first(Integer.MAX_VALUE, false));
            named.addAll(piece.uids());
        }
        List<Long> ascending = new ArrayList<>(uids);
        ascending.sort(null);
        assertEquals(ascending, named);
        // full pieces: 11 octets a UID, so 727 to a piece of at most 8,000, and 138 of them
        assertEquals(138, pieces.size());
        assertEquals(727, pieces.get(0).uids().size());
    }

    @Test
    void rangesStayWholeRepeatsAreDroppedAndAShortSetIsOnePiece() {
        List<UidSet.Piece> pieces = UidSet.pieces(List.of(9L, 3L, 4L, 5L, 4L, 7L, 8L));
        assertEquals(List.of(new UidSet.Piece("3:5,7:9", List.of(3L, 4L, 5L, 7L, 8L, 9L))), pieces);
    }

    @Test
    void aPieceEndsBeforeTheRangeThatWouldPassTheLimit() {
        List<Long> uids = new ArrayList<>(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 12L));
        for (long uid = 100_000; uid <= 100_010; uid++) {
            uids.add(uid);
        }
        uids.add(200L);
        // "1:10,12,200" is 11 octets, ",100000:100010" would make 25
        assertEquals(List.of("1:10,12,200", "100000:100010"), sets(uids, 21));
        assertEquals(List.of("1,3,5,7,9,11,13,15,17", "19,21"),
                sets(List.of(1L, 3L, 5L, 7L, 9L, 11L, 13L, 15L, 17L, 19L, 21L), 21));
    }

    private static List<String> sets(List<Long> uids, int limit) {
        return UidSet.pieces(uids, limit).stream().map(UidSet.Piece::set).toList();
    }

    @Test
    void anEmptySetOrANonUidIsRefusedBeforeAnythingIsBuilt() {
        assertThrows(IllegalArgumentException.class, () -> UidSet.pieces(List.of()));
        assertThrows(IllegalArgumentException.class, () -> UidSet.pieces(List.of(4L, 0L)));
    }
}
