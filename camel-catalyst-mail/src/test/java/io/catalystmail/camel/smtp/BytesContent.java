package io.catalystmail.camel.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Message content from a byte array, for tests. */
record BytesContent(byte[] bytes, boolean needs8BitMime, boolean needsSmtpUtf8) implements MessageContent {

    static BytesContent of(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        boolean eight = false;
        for (byte x : b) {
            eight |= x < 0;
        }
        return new BytesContent(b, eight, false);
    }

    @Override
    public long size() {
        return bytes.length;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }
}
