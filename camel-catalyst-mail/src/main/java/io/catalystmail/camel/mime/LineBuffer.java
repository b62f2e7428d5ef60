package io.catalystmail.camel.mime;

import java.util.Arrays;

/** Bytes of a header line or field being read; grows as needed, bounded by its caller's limits. */
final class LineBuffer {

    private byte[] bytes;
    private int length;

    /** A buffer that starts in {@code initial}, a spare array its owner takes back with {@link #array()}. */
    LineBuffer(byte[] initial) {
        this.bytes = initial;
    }

    /** The array the bytes are in now: the initial one, or a larger one the buffer grew to. */
    byte[] array() {
        return bytes;
    }

    void clear() {
        length = 0;
    }

    int length() {
        return length;
    }

    byte byteAt(int index) {
        return bytes[index];
    }

    void append(byte[] source, int offset, int count) {
        if (length + count > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + count, 2 * bytes.length));
        }
        System.arraycopy(source, offset, bytes, length, count);
        length += count;
    }

    /** True when the bytes from {@code start} on are one line break, LF or CR LF: an empty line. */
    boolean isLineBreakFrom(int start) {
        int count = length - start;
        return count == 1 && bytes[start] == '\n' || count == 2 && bytes[start] == '\r' && bytes[start + 1] == '\n';
    }

    /** The first {@code target} before {@code end}, or -1. */
    int indexOf(byte target, int end) {
        for (int i = 0; i < end; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes before {@code end}, copied. */
    byte[] toBytes(int end) {
        return Arrays.copyOf(bytes, end);
    }

    /** Drops the bytes before {@code end}; those after it move to the start. */
    void removeFirst(int end) {
        System.arraycopy(bytes, end, bytes, 0, length - end);
        length -= end;
    }

    /** Drops the bytes from {@code end} on. */
    void truncate(int end) {
        length = end;
    }
}
