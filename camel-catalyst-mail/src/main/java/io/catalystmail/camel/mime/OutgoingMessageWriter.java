package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Mime4j's writer with {@link Base64LineEncoder} for base64 parts (the bulk of a mail with attachments), and each
 * header written whole: Mime4j's own writer hands every field and every CRLF to the stream as a write of its own. The
 * fields' octets, multipart boundaries and quoted-printable stay Mime4j's. One writer renders one message: its base64
 * parts, written one after the other, share one buffer of encoded lines, and its headers one buffer of fields.
 */
final class OutgoingMessageWriter extends DefaultMessageWriter {

    /** 64 lines of 78 octets: about 5 KB per write to the DATA stream. */
    private static final int SCRATCH = 64 * 78;

    private byte[] scratch;
    private Base64LineEncoder lastEncoder;
    private final ByteArrayOutputStream header = new ByteArrayOutputStream(1024);

    /** Every field and the empty line that ends the header, as Mime4j writes them, in one write. */
    @Override
    public void writeHeader(Header fields, OutputStream out) throws IOException {
        header.reset();
        for (Field field : fields) {
            writeField(field, header);
        }
        header.write('\r');
        header.write('\n');
        header.writeTo(out);
    }

    @Override
    protected OutputStream encodeStream(OutputStream out, String encoding, boolean binaryBody) throws IOException {
        if (!MimeUtil.isBase64Encoding(encoding)) {
            return super.encodeStream(out, encoding, binaryBody);
        }
        if (scratch == null || lastEncoder != null && !lastEncoder.isClosed()) {
            // first part, or a part inside one still being written: a buffer of its own
            scratch = new byte[SCRATCH];
        }
        lastEncoder = new Base64LineEncoder(out, scratch);
        return lastEncoder;
    }
}
