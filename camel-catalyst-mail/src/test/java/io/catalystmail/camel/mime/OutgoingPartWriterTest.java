package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.field.DefaultFieldParser;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.message.BasicBodyFactory;
import org.apache.james.mime4j.message.BodyPart;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.util.ByteArrayBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outgoing writer gives the octets Mime4j's writer gives for the same tree (the composer used Mime4j's before), and
 * hands everything between two bodies to the stream in one write.
 */
class OutgoingPartWriterTest {

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

    /** One tree built twice: as outgoing parts and as Mime4j's entities, with the same fields and boundaries. */
    private static final class Tree {
        final List<HeaderLine> messageFields = new ArrayList<>();
        OutgoingPart ours;
        Message mime4j;
    }

    private static Field mime4j(HeaderLine line) {
        try {
            return DefaultFieldParser.parse(new ByteArrayBuffer(line.octets(), true), DecodeMonitor.SILENT);
        } catch (MimeException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<HeaderLine> single(String type, String encoding) {
        return List.of(MimeFields.field("Content-Type", type), SharedFields.transferEncoding(encoding));
    }

    private static OutgoingPart leaf(String type, String encoding, byte[] octets, boolean binary) {
        return OutgoingPart.single(single(type, encoding), () -> new ByteArrayInputStream(octets), encoding, binary);
    }

    private static BodyPart mime4jLeaf(String type, String encoding, byte[] octets, boolean binary) {
        BodyPartBuilder part = BodyPartBuilder.create();
        if (binary) {
            part.setBody(BasicBodyFactory.INSTANCE.binaryBody(octets));
        } else {
            // a text body: Mime4j's quoted-printable encoder treats its line breaks as line breaks
            part.setBody(BasicBodyFactory.INSTANCE.textBody(octets, StandardCharsets.UTF_8));
        }
        single(type, encoding).forEach(line -> part.setField(mime4j(line)));
        return part.build();
    }

    private static HeaderLine multipartType(String subtype, String boundary) {
        return MimeFields.field("Content-Type", "multipart/" + subtype + "; boundary=\"" + boundary + "\"");
    }

    /**
     * Folded, encoded and UTF-8 fields; mixed(alternative(quoted-printable text with dots and long lines, 7bit HTML),
     * base64 text, base64 attachment of {@code attachmentSize} octets).
     */
    private static Tree tree(int attachmentSize) {
        byte[] attachment = new byte[attachmentSize];
        new SplittableRandom(attachmentSize).nextBytes(attachment);
        byte[] text = ("Gr\u00fc\u00dfe\r\n.dot\r\n" + "a long line ".repeat(20) + "\r\n").repeat(20)
                .getBytes(StandardCharsets.UTF_8);
        byte[] html = "<p>hi</p>\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] cyrillic = "\u041f\u0440\u0438\u0432\u0435\u0442\n".repeat(30).getBytes(StandardCharsets.UTF_8);

        Tree tree = new Tree();
        tree.messageFields.add(HeaderLine.MIME_VERSION);
        tree.messageFields.add(HeaderLine.of(Fields.date(new java.util.Date(1_700_000_000_123L))));
        tree.messageFields.add(MimeFields.addresses("From",
                MailAddresses.parse("J\u00f6rg <j@example.com>", "from").forHeader()));
        tree.messageFields.add(MimeFields.addresses("To", MailAddresses.parse(
                "a@example.com, \"B, C\" <b@example.com>, j\u00f6rg@example.com" + ", x@example.com".repeat(20),
                "to").forHeader()));
        tree.messageFields.add(MimeFields.unstructured("Subject", "\u00dcber " + "long words ".repeat(30)));
        tree.messageFields.add(MimeFields.field("Message-ID", "<id@example.com>"));
        tree.messageFields.add(MimeFields.unstructured("X-Custom", "value " + "w".repeat(200) + " end"));

        OutgoingPart alternative = OutgoingPart.multipart(List.of(multipartType("alternative", "inner-1")), "inner-1",
                List.of(leaf("text/plain; charset=UTF-8", "quoted-printable", text, false),
                        leaf("text/html; charset=UTF-8", "7bit", html, false)));
        OutgoingPart mixed = OutgoingPart.multipart(List.of(multipartType("mixed", "outer-0")), "outer-0",
                List.of(alternative, leaf("text/plain; charset=UTF-8", "base64", cyrillic, false),
                        leaf("application/octet-stream; name=\"a.bin\"", "base64", attachment, true)));
        tree.ours = mixed.under(tree.messageFields);

        BodyPartBuilder alternativePart = BodyPartBuilder.create().setBody(MultipartBuilder.create("alternative")
                .addBodyPart(mime4jLeaf("text/plain; charset=UTF-8", "quoted-printable", text, false))
                .addBodyPart(mime4jLeaf("text/html; charset=UTF-8", "7bit", html, false)).build());
        alternativePart.setField(mime4j(multipartType("alternative", "inner-1")));
        Message.Builder message = Message.Builder.of();
        tree.messageFields.subList(1, tree.messageFields.size()).forEach(line -> message.addField(mime4j(line)));
        message.setBody(MultipartBuilder.create("mixed").addBodyPart(alternativePart.build())
                .addBodyPart(mime4jLeaf("text/plain; charset=UTF-8", "base64", cyrillic, false))
                .addBodyPart(mime4jLeaf("application/octet-stream; name=\"a.bin\"", "base64", attachment, true))
                .build());
        message.setField(mime4j(multipartType("mixed", "outer-0")));
        tree.mime4j = message.build();
        return tree;
    }

    @Test
    void theOctetsOfMime4jsWriterForEverySizeOfAttachment() throws IOException {
        for (int size : new int[] {0, 1, 56, 57, 58, 1000, 20 * 1024}) {
            Tree tree = tree(size);
            ByteArrayOutputStream mime4j = new ByteArrayOutputStream();
            new DefaultMessageWriter().writeMessage(tree.mime4j, mime4j);
            ByteArrayOutputStream ours = new ByteArrayOutputStream();
            new OutgoingPartWriter().write(tree.ours, ours);
            assertArrayEquals(mime4j.toByteArray(), ours.toByteArray(), "attachment of " + size + " octets");
        }
    }

    @Test
    void aSinglePartMessageIsItsHeaderAndItsEncodedBody() throws IOException {
        byte[] body = "line one\r\nline two\r\n".getBytes(StandardCharsets.US_ASCII);
        OutgoingPart message = leaf("text/plain; charset=UTF-8", "7bit", body, false)
                .under(List.of(HeaderLine.MIME_VERSION));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new OutgoingPartWriter().write(message, out);
        assertEquals("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                     + "Content-Transfer-Encoding: 7bit\r\n\r\n"
                     + "line one\r\nline two\r\n", out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void everythingBetweenTwoBodiesGoesOutInOneWrite() throws IOException {
        Writes out = new Writes();
        new OutgoingPartWriter().write(tree(100).ours, out);

        String first = out.writes.get(0);
        assertTrue(first.startsWith("MIME-Version: 1.0\r\n") && first.endsWith("\r\n\r\n"), first);
        assertTrue(first.contains("\r\nSubject: ") && first.contains("\r\nX-Custom: ")
                   && first.contains("\r\nContent-Type: multipart/mixed;") && first.contains("\r\n--outer-0\r\n")
                   && first.contains("Content-Type: multipart/alternative;") && first.contains("\r\n--inner-1\r\n")
                   && first.contains("Content-Type: text/plain;"), first);
        List<String> headers = out.writes.stream().filter(w -> w.contains("Content-Type: ")).toList();
        assertEquals(4, headers.size(), "one write up to each of the four bodies: " + out.writes);
        headers.forEach(w -> assertTrue(w.endsWith("\r\n\r\n") && w.contains("Content-Transfer-Encoding: "), w));
        assertTrue(headers.get(2).startsWith("\r\n--inner-1--\r\n\r\n--outer-0\r\n"), headers.get(2));
        assertEquals("\r\n--outer-0--\r\n", out.writes.get(out.writes.size() - 1));
    }
}
