package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.activation.DataHandler;
import jakarta.activation.UnsupportedDataTypeException;

/**
 * An attachment's bytes from its {@link DataHandler}. A handler made from an object rather than a data source
 * ({@code new DataHandler(bytes, "application/pdf")}, {@code new DataHandler(csv, "text/csv")}, common in camel-mail
 * routes) gives no stream unless a DataContentHandler for its type is installed, yet writes a byte[] or String as
 * it is: camel-mail sends such attachments through {@code writeTo}, and so does this, into memory (the object is in
 * memory already).
 */
final class AttachmentSource implements BodySource {

    private final DataHandler handler;

    private AttachmentSource(DataHandler handler) {
        this.handler = handler;
    }

    static BodySource of(DataHandler handler) {
        return new AttachmentSource(handler);
    }

    @Override
    public InputStream open() throws IOException {
        try {
            return handler.getInputStream();
        } catch (UnsupportedDataTypeException noStreamForTheObject) {
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            handler.writeTo(written);
            return new ByteArrayInputStream(written.toByteArray());
        }
    }
}
