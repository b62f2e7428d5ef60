package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import jakarta.activation.DataSource;

/** An attachment's content for Camel's {@code DataHandler}: streamed from the heap or the temp file on each read. */
final class StoredBodyDataSource implements DataSource {

    private final String name;
    private final String contentType;
    private final StoredBody body;

    StoredBodyDataSource(String name, String contentType, StoredBody body) {
        this.name = name;
        this.contentType = contentType;
        this.body = body;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return body.open();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        throw new IOException("The attachment " + name + " of a received message is read-only");
    }

    @Override
    public String getContentType() {
        return contentType;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Where the decoded content is held. */
    StoredBody body() {
        return body;
    }
}
