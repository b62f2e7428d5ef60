package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.james.mime4j.dom.BinaryBody;

/**
 * A binary part whose bytes are read from their source only while the message is written, so Mime4j's
 * writer encodes them on the fly (base64) without holding them in the heap.
 */
final class StreamedBinaryBody extends BinaryBody {

    private final BodySource source;

    StreamedBinaryBody(BodySource source) {
        this.source = source;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return source.open();
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        try (InputStream in = source.open()) {
            in.transferTo(out);
        }
    }
}
