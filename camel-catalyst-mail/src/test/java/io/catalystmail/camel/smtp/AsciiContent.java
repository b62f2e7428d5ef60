package io.catalystmail.camel.smtp;

/** Test content of 7-bit ASCII whose size is not announced: a lambda writing it is enough. */
@FunctionalInterface
public interface AsciiContent extends MessageContent {

    @Override
    default long size() {
        return -1;
    }

    @Override
    default boolean needs8BitMime() {
        return false;
    }

    @Override
    default boolean needsSmtpUtf8() {
        return false;
    }
}
