package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.message.BodyPart;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The outgoing writer gives Mime4j's octets, each header in one write. */
class OutgoingMessageWriterTest {

    /** Keeps every write apart. */
    private static final class Writes extends ByteArrayOutputStream {
        final List<String> writes = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            writes.add(String.valueOf((char) b));
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
            super.write(b, off, len);
        }
    }

    private static BodyPart part(String type, String encoding, byte[] content) {
        return BodyPartBuilder.create().setBody(new StreamedBinaryBody(() -> new java.io.ByteArrayInputStream(content)))
                .setField(Fields.contentType(type)).setField(Fields.contentTransferEncoding(encoding)).build();
    }

    /** Folded, encoded and UTF-8 fields, nested multiparts, base64, quoted-printable and 7bit parts. */
    private static Message message(int attachmentSize) {
        byte[] attachment = new byte[attachmentSize];
        new SplittableRandom(attachmentSize).nextBytes(attachment);
        Message.Builder builder = Message.Builder.of();
        builder.setField(Fields.date(new java.util.Date(1_700_000_000_123L)));
        builder.setField(MimeFields.addresses("From", MailAddresses.parse("J\u00f6rg <j@example.com>", "from").forHeader()));
        builder.setField(MimeFields.addresses("To", MailAddresses.parse(
                "a@example.com, \"B, C\" <b@example.com>, j\u00f6rg@example.com" + ", x@example.com".repeat(20), "to").forHeader()));
        builder.setField(MimeFields.unstructured("Subject", "\u00dcber " + "long words ".repeat(30)));
        builder.setField(MimeFields.field("Message-ID", "<id@example.com>"));
        builder.addField(MimeFields.unstructured("X-Custom", "value " + "w".repeat(200) + " end"));
        builder.setBody(MultipartBuilder.create("mixed")
                .addBodyPart(BodyPartBuilder.create().setBody(MultipartBuilder.create("alternative")
                        .addBodyPart(part("text/plain; charset=UTF-8", "quoted-printable",
                                "Gr\u00fc\u00dfe\r\n.dot\r\n".repeat(50).getBytes(StandardCharsets.UTF_8)))
                        .addBodyPart(part("text/html; charset=UTF-8", "7bit", "<p>hi</p>\r\n".getBytes(StandardCharsets.US_ASCII)))
                        .build()).build())
                .addBodyPart(part("application/octet-stream; name=\"a.bin\"", "base64", attachment))
                .build());
        return builder.build();
    }

    @Test
    void theOctetsOfMime4jsWriterForEverySizeOfAttachment() throws IOException {
        for (int size : new int[] {0, 1, 56, 57, 58, 1000, 20 * 1024}) {
            Message message = message(size);
            ByteArrayOutputStream mime4j = new ByteArrayOutputStream();
            new DefaultMessageWriter().writeMessage(message, mime4j);
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            new OutgoingMessageWriter().writeMessage(message, ours);
            assertArrayEquals(mime4j.toByteArray(), ours.toByteArray(), "attachment of " + size + " octets");
        }
    }

    @Test
    void eachHeaderGoesOutInOneWriteEndedByItsEmptyLine() throws IOException {
        Writes out = new Writes();
        new OutgoingMessageWriter().writeMessage(message(100), out);

        String first = out.writes.get(0);
        assertTrue(first.startsWith("MIME-Version: 1.0\r\n") && first.endsWith("\r\n\r\n"), first);
        assertTrue(first.contains("\r\nSubject: ") && first.contains("\r\nX-Custom: ")
                   && first.contains("\r\nContent-Type: multipart/mixed;"), first);
        long headers = out.writes.stream().filter(w -> w.startsWith("Content-Type: ")).count();
        assertEquals(4, headers, "the alternative, its two parts and the attachment: " + out.writes);
        out.writes.stream().filter(w -> w.startsWith("Content-Type: "))
                .forEach(w -> assertTrue(w.endsWith("\r\n\r\n") && w.contains("Content-Transfer-Encoding: ")
                                         || w.startsWith("Content-Type: multipart/alternative"), w));
    }
}
