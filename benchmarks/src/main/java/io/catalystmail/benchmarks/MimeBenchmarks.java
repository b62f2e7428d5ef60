package io.catalystmail.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.apache.james.mime4j.dom.BinaryBody;
import org.apache.james.mime4j.dom.Entity;
import org.apache.james.mime4j.dom.Message;
import org.apache.james.mime4j.dom.Multipart;
import org.apache.james.mime4j.dom.TextBody;
import org.apache.james.mime4j.message.BodyPartBuilder;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.message.DefaultMessageWriter;
import org.apache.james.mime4j.message.MultipartBuilder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MIME without the network: parsing the standard 30 KB message (every part read to its end) and composing it
 * (written to a counting sink), with Mime4j, which catalystmail builds on, and with Jakarta Mail, which
 * camel-mail builds on. Each returns what it read or wrote, so nothing is optimised away.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx256m")
public class MimeBenchmarks {

    private final Session session = Session.getInstance(new Properties());
    private byte[] message;
    private String text;
    private String html;
    private byte[] attachment;

    @Setup
    public void createMessage() {
        message = TestMessage.standard("sender@example.test", "alice@example.test", 1);
        text = TestMessage.text();
        html = TestMessage.html();
        attachment = TestMessage.attachment();
    }

    @Benchmark
    public long parseWithMime4j() throws IOException {
        Message parsed = new DefaultMessageBuilder().parseMessage(new ByteArrayInputStream(message));
        try {
            return readEntity(parsed) + parsed.getSubject().length();
        } finally {
            parsed.dispose();
        }
    }

    private static long readEntity(Entity entity) throws IOException {
        if (entity.getBody() instanceof Multipart multipart) {
            long total = 0;
            for (Entity part : multipart.getBodyParts()) {
                total += readEntity(part);
            }
            return total;
        }
        if (entity.getBody() instanceof TextBody textBody) {
            try (Reader reader = textBody.getReader()) {
                return drain(reader);
            }
        }
        try (InputStream in = ((BinaryBody) entity.getBody()).getInputStream()) {
            return ComponentUnderTest.drain(in);
        }
    }

    @Benchmark
    public long parseWithJakartaMail() throws IOException, MessagingException {
        MimeMessage parsed = new MimeMessage(session, new ByteArrayInputStream(message));
        return readPart(parsed.getContent()) + parsed.getSubject().length();
    }

    private static long readPart(Object content) throws IOException, MessagingException {
        if (content instanceof jakarta.mail.Multipart multipart) {
            long total = 0;
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                total += part.isMimeType("multipart/*") ? readPart(part.getContent()) : part.isMimeType("text/*")
                        ? ((String) part.getContent()).length() : ComponentUnderTest.drain(part.getInputStream());
            }
            return total;
        }
        return ((String) content).length();
    }

    @Benchmark
    public long composeWithMime4j() throws IOException, org.apache.james.mime4j.MimeException {
        Multipart alternative = MultipartBuilder.create("alternative")
                .addBodyPart(BodyPartBuilder.create().setBody(text, "plain", StandardCharsets.UTF_8))
                .addBodyPart(BodyPartBuilder.create().setBody(html, "html", StandardCharsets.UTF_8))
                .build();
        Multipart mixed = MultipartBuilder.create("mixed")
                .addBodyPart(BodyPartBuilder.create().setBody(alternative))
                .addBodyPart(BodyPartBuilder.create().setBody(attachment, "application/octet-stream")
                        .setContentTransferEncoding("base64")
                        .setContentDisposition("attachment", TestMessage.ATTACHMENT_NAME))
                .build();
        Message composed = Message.Builder.of()
                .setFrom("sender@example.test").setTo("alice@example.test").setSubject(TestMessage.SUBJECT)
                .setDate(new java.util.Date()).setMessageId("<composed@example.test>")
                .setBody(mixed).build();
        CountingSink sink = new CountingSink();
        new DefaultMessageWriter().writeMessage(composed, sink);
        return sink.count();
    }

    @Benchmark
    public long composeWithJakartaMail() throws IOException, MessagingException {
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart plain = new MimeBodyPart();
        plain.setText(text, "UTF-8", "plain");
        MimeBodyPart rich = new MimeBodyPart();
        rich.setText(html, "UTF-8", "html");
        alternative.addBodyPart(plain);
        alternative.addBodyPart(rich);
        MimeBodyPart alternativePart = new MimeBodyPart();
        alternativePart.setContent(alternative);
        MimeBodyPart file = new MimeBodyPart();
        file.setDataHandler(new jakarta.activation.DataHandler(
                new jakarta.mail.util.ByteArrayDataSource(attachment, "application/octet-stream")));
        file.setFileName(TestMessage.ATTACHMENT_NAME);
        file.setDisposition(jakarta.mail.Part.ATTACHMENT);
        MimeMultipart mixed = new MimeMultipart("mixed");
        mixed.addBodyPart(alternativePart);
        mixed.addBodyPart(file);
        MimeMessage composed = new MimeMessage(session);
        composed.setFrom("sender@example.test");
        composed.setRecipients(jakarta.mail.Message.RecipientType.TO, "alice@example.test");
        composed.setSubject(TestMessage.SUBJECT);
        composed.setSentDate(new java.util.Date());
        composed.setContent(mixed);
        composed.saveChanges();
        CountingSink sink = new CountingSink();
        composed.writeTo(sink);
        return sink.count();
    }

    private static long drain(Reader reader) throws IOException {
        char[] buffer = new char[8192];
        long total = 0;
        for (int n; (n = reader.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
