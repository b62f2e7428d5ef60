package io.catalystmail.camel.mime;

import java.util.Arrays;

/** Bytes of a header line or field being read; grows as needed, bounded by its caller's limits. */
final class LineBuffer {

    private byte[] bytes = new byte[256];
    private int length;

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

    void append(LineBuffer other) {
        append(other.bytes, 0, other.length);
    }

    /** The length without the line's LF and the CR before it. */
    int lengthWithoutLineBreak() {
        if (length == 0 || bytes[length - 1] != '\n') {
            return length;
        }
        return length >= 2 && bytes[length - 2] == '\r' ? length - 2 : length - 1;
    }

    int indexOf(byte target) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == target) {
                return i;
            }
        }
        return -1;
    }

    byte[] toBytes() {
        return Arrays.copyOf(bytes, length);
    }
}
