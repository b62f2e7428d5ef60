package io.catalystmail.camel.pop3;

import java.util.Arrays;

/**
 * The UIDLs and LIST sizes a listing keeps, by message number, in parallel arrays: an int, a reference and a long
 * per message, where maps cost an entry, a boxed key and a boxed size each (a maildrop of 10,000 is listed on every
 * poll). Servers list in ascending message number (RFC 1939 §7's example; Dovecot, James), so numbers are looked up
 * by binary search; a listing in another order is sorted once before LIST's sizes are looked up.
 */
final class ListedUidls {

    private int[] numbers = new int[64];
    private String[] uidls = new String[64];
    private long[] sizes;
    private int count;
    /** Entries that hold a UIDL (a message listed twice loses its entry, {@link #drop}). */
    private int kept;
    private boolean ascending = true;

    /** Entries holding a UIDL. */
    int kept() {
        return kept;
    }

    void add(int number, String uidl) {
        if (count == numbers.length) {
            numbers = Arrays.copyOf(numbers, count * 2);
            uidls = Arrays.copyOf(uidls, count * 2);
        }
        ascending &= count == 0 || numbers[count - 1] < number;
        numbers[count] = number;
        uidls[count++] = uidl;
        kept++;
    }

    /** Forgets the UIDL of {@code number}, listed twice: which line is right, nobody can tell. */
    void drop(int number) {
        int at = indexOf(number);
        if (at >= 0 && uidls[at] != null) {
            uidls[at] = null;
            kept--;
        }
    }

    /** Ends the UIDL answer: from here on sizes are recorded, by number. */
    void uidlsComplete() {
        if (!ascending) {
            sortByNumber();
        }
        sizes = new long[count];
        Arrays.fill(sizes, -1);
    }

    /**
     * Records LIST's size for {@code number}; -1 forgets it (a message listed twice). A number UIDL did not list is
     * ignored; one whose UIDL was dropped gets its size recorded, unused (it is no message of the listing).
     */
    void recordSize(int number, long size) {
        int at = indexOf(number);
        if (at >= 0) {
            sizes[at] = size;
        }
    }

    /** Entries in ascending message number, {@code 0 <= index < count()}; a dropped one has no UIDL. */
    int count() {
        return count;
    }

    int number(int index) {
        return numbers[index];
    }

    /** The UIDL at {@code index}, null when that message was listed twice. */
    String uidl(int index) {
        return uidls[index];
    }

    /** LIST's size at {@code index}, -1 when LIST gave none. */
    long size(int index) {
        return sizes == null ? -1 : sizes[index];
    }

    private int indexOf(int number) {
        if (ascending) {
            return Arrays.binarySearch(numbers, 0, count, number);
        }
        for (int i = 0; i < count; i++) {
            if (numbers[i] == number) {
                return i;
            }
        }
        return -1;
    }

    private void sortByNumber() {
        Integer[] order = new Integer[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Integer.compare(numbers[a], numbers[b]));
        int[] sortedNumbers = new int[numbers.length];
        String[] sortedUidls = new String[uidls.length];
        for (int i = 0; i < count; i++) {
            sortedNumbers[i] = numbers[order[i]];
            sortedUidls[i] = uidls[order[i]];
        }
        numbers = sortedNumbers;
        uidls = sortedUidls;
        ascending = true;
    }
}
