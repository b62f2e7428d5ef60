package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.OutputStream;

import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.util.MimeUtil;

/**
 * Mime4j's writer with {@link Base64LineEncoder} for base64 parts (the bulk of a mail with attachments); headers,
 * multipart boundaries and quoted-printable stay Mime4j's. One writer renders one message: its base64 parts, written
 * one after the other, share one buffer of encoded lines.
 */
final class OutgoingMessageWriter extends DefaultMessageWriter {

    /** 64 lines of 78 octets: about 5 KB per write to the DATA stream. */
    private static final int SCRATCH = 64 * 78;

    private byte[] scratch;
    private Base64LineEncoder lastEncoder;

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
