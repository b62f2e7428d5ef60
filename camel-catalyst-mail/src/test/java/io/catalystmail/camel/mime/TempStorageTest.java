package io.catalystmail.camel.mime;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;

import io.catalystmail.camel.testsupport.SpoolFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StreamCache;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Large parts and raw messages live in temp files that a real route's completion deletes. */
@ExtendWith(TestMessages.CompleteExchanges.class)
class TempStorageTest {

    private static final int FIVE_MB = 5 * 1024 * 1024;

    private final MessageMapper mapper = new MessageMapper(MimeLimits.defaults(), false, false);
    private final MessageMapper rawMapper = new MessageMapper(MimeLimits.defaults(), false, true);
    private CamelContext context;
    private ProducerTemplate template;

    /** What the route saw while the exchange was in flight. */
    private final AtomicReference<Path> fileSeen = new AtomicReference<>();
    private final AtomicReference<byte[]> contentSeen = new AtomicReference<>();

    @BeforeEach
    void startRoutes() throws Exception {
        context = new DefaultCamelContext();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:parts").process(this::mapAndInspectAttachment);
                from("direct:failing").process(this::mapAndInspectAttachment).throwException(new IllegalStateException("route failed"));
                from("direct:raw").process(exchange -> {
                    rawMapper.map(exchange.getIn().getBody(InputStream.class), exchange.getIn());
                    RawMessageStream body = assertInstanceOf(RawMessageStream.class, exchange.getIn().getBody());
                    assertInstanceOf(StreamCache.class, body);
                    contentSeen.set(exchange.getIn().getBody(byte[].class));
                    body.reset();
                    assertArrayEquals(contentSeen.get(), exchange.getIn().getBody(byte[].class), "readable again");
                });
            }

            private void mapAndInspectAttachment(Exchange exchange) throws Exception {
                mapper.map(exchange.getIn().getBody(InputStream.class), exchange.getIn());
                Attachment attachment = exchange.getIn(AttachmentMessage.class).getAttachmentObject("big.bin");
                StoredBodyDataSource source = (StoredBodyDataSource) attachment.getDataHandler().getDataSource();
                StoredBody.InFile file = assertInstanceOf(StoredBody.InFile.class, source.body());
                assertTrue(Files.exists(file.file()));
                fileSeen.set(file.file());
                try (InputStream in = attachment.getDataHandler().getInputStream()) {
                    contentSeen.set(in.readAllBytes());
                }
            }
        });
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private static byte[] bigAttachment() {
        byte[] data = new byte[FIVE_MB];
        new Random(42).nextBytes(data);
        return data;
    }

    private static byte[] messageWith(byte[] attachment) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(TestMessages.crlf("From: a@example.com\nSubject: big\nContent-Type: multipart/mixed; boundary=b\n\n"
                + "--b\nContent-Type: text/plain\n\nsee attachment\n--b\nContent-Type: application/octet-stream\n"
                + "Content-Disposition: attachment; filename=big.bin\nContent-Transfer-Encoding: base64\n\n"));
        out.write(Base64.getMimeEncoder().encode(attachment));
        out.write(TestMessages.crlf("\n--b--\n"));
        return out.toByteArray();
    }

    @Test
    void largeAttachmentLivesInATempFileDeletedWhenTheExchangeCompletes() throws Exception {
        byte[] attachment = bigAttachment();
        Exchange done = template.send("direct:parts", e -> e.getIn().setBody(new ByteArrayInputStream(messageWith(attachment))));

        assertFalse(done.isFailed(), () -> String.valueOf(done.getException()));
        assertArrayEquals(attachment, contentSeen.get());
        assertNotNull(fileSeen.get());
        assertFalse(Files.exists(fileSeen.get()), "temp file deleted on completion");
        assertEquals("see attachment", done.getMessage().getBody(String.class));
    }

    @Test
    void tempFileIsAlsoDeletedWhenTheExchangeFails() throws Exception {
        byte[] attachment = bigAttachment();
        Exchange done = template.send("direct:failing", e -> e.getIn().setBody(new ByteArrayInputStream(messageWith(attachment))));

        assertTrue(done.isFailed());
        assertNotNull(fileSeen.get());
        assertFalse(Files.exists(fileSeen.get()), "temp file deleted on failure");
    }

    @Test
    void largeRawMessageIsAReReadableStreamBackedByATempFile() throws Exception {
        byte[] message = messageWith(bigAttachment());
        Exchange done = template.send("direct:raw", e -> e.getIn().setBody(new ByteArrayInputStream(message)));

        assertFalse(done.isFailed(), () -> String.valueOf(done.getException()));
        assertArrayEquals(message, contentSeen.get());
        assertEquals("big", done.getMessage().getHeader("Subject"));
        RawMessageStream body = (RawMessageStream) done.getMessage().getBody();
        body.reset();
        assertThrows(IOException.class, body::read, "the file is gone after completion");
    }

    @Test
    void failedMappingLeavesNoTempFiles() throws Exception {
        byte[] attachment = bigAttachment();
        byte[] valid = messageWith(attachment);
        // a valid big part followed by a part whose header exceeds the count limit: the big part's file exists
        // when the failure hits, and must be removed
        StringBuilder flood = new StringBuilder("--b\n");
        for (int i = 0; i < 60; i++) {
            flood.append("X-H").append(i).append(": v\n");
        }
        byte[] message = new String(valid, StandardCharsets.ISO_8859_1)
                .replace("--b--", flood + "\nx\n--b--").getBytes(StandardCharsets.ISO_8859_1);
        MessageMapper strict = new MessageMapper(new MimeLimits(100_000, 50, 10, 1024), false, false);
        long before = SpoolFiles.count();

        assertThrows(MessageParseException.class, () -> TestMessages.map(strict, message));
        assertEquals(before, SpoolFiles.count());
    }
}
