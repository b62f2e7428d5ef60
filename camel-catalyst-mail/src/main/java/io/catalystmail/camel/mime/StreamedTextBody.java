package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.Charset;

import org.apache.james.mime4j.dom.TextBody;

/**
 * A text part already encoded in its charset, read from its source only while the message is written. Being a
 * {@link TextBody} makes Mime4j's quoted-printable encoder treat line breaks as line breaks.
 */
final class StreamedTextBody extends TextBody {

    private final BodySource source;
    private final Charset charset;

    StreamedTextBody(BodySource source, Charset charset) {
        this.source = source;
        this.charset = charset;
    }

    @Override
    public String getMimeCharset() {
        return charset.name();
    }

    @Override
    public Charset getCharset() {
        return charset;
    }

    @Override
    public Reader getReader() throws IOException {
        return new InputStreamReader(source.open(), charset);
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
