package io.catalystmail.camel.mime;

import io.catalystmail.camel.CatalystMailConfiguration;

/**
 * Bounds applied while parsing inbound mail, so that hostile input costs bounded time and memory.
 *
 * @param maxHeaderLineLength  longest header line, and longest (folded) header field, in bytes
 * @param maxHeaderCount       most header fields in one entity (the message or one body part)
 * @param maxNestingDepth      deepest multipart nesting parsed; a deeper multipart is kept as one opaque attachment.
 *                             At most {@value #MAX_NESTING_DEPTH}: every line that may be a delimiter is
 *                             compared with the boundary of each open level
 * @param bodyStorageThreshold parts (and raw messages) larger than this many bytes go to temp files instead of the heap
 */
public record MimeLimits(int maxHeaderLineLength, int maxHeaderCount, int maxNestingDepth, int bodyStorageThreshold) {

    /** The deepest nesting allowed at all; see {@code maxNestingDepth}. */
    public static final int MAX_NESTING_DEPTH = 500;

    public MimeLimits {
        if (maxHeaderLineLength <= 0 || maxHeaderCount <= 0 || maxNestingDepth < 0 || bodyStorageThreshold < 0) {
            throw new IllegalArgumentException("MIME limits must be positive (nesting depth and threshold may be 0): "
                    + maxHeaderLineLength + ", " + maxHeaderCount + ", " + maxNestingDepth + ", "
                    + bodyStorageThreshold);
        }
        if (maxNestingDepth > MAX_NESTING_DEPTH) {
            throw new IllegalArgumentException("maxNestingDepth " + maxNestingDepth + " is above the supported "
                    + MAX_NESTING_DEPTH + ": each open level adds work to every line that may be a delimiter");
        }
    }

    /** The same defaults as the endpoint options: 1 MiB header lines, 10,000 headers, depth 100, 256 KiB in memory. */
    public static MimeLimits defaults() {
        return new MimeLimits(1024 * 1024, 10_000, 100, 256 * 1024);
    }

    /** The limits configured on an endpoint. */
    public static MimeLimits of(CatalystMailConfiguration configuration) {
        return new MimeLimits(configuration.getMaxHeaderLineLength(), configuration.getMaxHeaderCount(),
                configuration.getMaxNestingDepth(), configuration.getBodyStorageThreshold());
    }
}
