package io.catalystmail.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.CatalystMailConstants;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.util.FileUtil;

/**
 * The guide "Saving attachments to files": an IMAP route writes every attachment of every message into a folder
 * per message (named by its UID), and deletes the message only once all files are written. Run with an optional
 * target directory; it sends itself a message with two attachments through an embedded server first.
 */
public final class SaveAttachmentsExample {

    private SaveAttachmentsExample() {
    }

    public static void main(String[] args) throws Exception {
        Path target = Path.of(args.length > 0 ? args[0] : "target/attachments");
        System.out.println("Saved " + run(target) + " attachment(s) under " + target);
    }

    /** Runs the example; returns the number of files written. */
    public static int run(Path target) throws Exception {
        try (EmbeddedMailServer server = new EmbeddedMailServer().user("invoices@example.test", "invoices", "inv-secret");
             CamelContext camel = new DefaultCamelContext()) {
            CountDownLatch saved = new CountDownLatch(1);
            int[] files = new int[1];
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send")
                            .to("catalystmail:smtp:127.0.0.1:" + server.smtpPort()
                                + "?from=supplier@example.test&to=invoices@example.test");

                    // tag::route[]
                    from("catalystmail:imap:127.0.0.1:" + server.imapPort()
                         + "?username=invoices&password=RAW(inv-secret)&delete=true&delay=500")
                            .process(exchange -> files[0] += saveAttachments(exchange, target))
                            .log("Saved the attachments of \"${header.Subject}\"")
                            .process(exchange -> saved.countDown());
                    // end::route[]
                }
            });
            camel.start();
            Path outgoing = Files.createTempDirectory("outgoing");
            Path pdf = Files.writeString(outgoing.resolve("invoice-2026-117.pdf"), "%PDF-1.4 example");
            Path csv = Files.writeString(outgoing.resolve("details.csv"), "item;amount\nwidgets;42\n");
            camel.createProducerTemplate().send("direct:send", exchange -> {
                AttachmentMessage message = exchange.getIn(AttachmentMessage.class);
                message.setHeader(CatalystMailConstants.SUBJECT, "Invoice 2026-117");
                message.setBody("Please find the invoice attached.");
                message.addAttachment("invoice-2026-117.pdf", new DataHandler(new FileDataSource(pdf.toFile())));
                message.addAttachment("details.csv", new DataHandler(new FileDataSource(csv.toFile())));
            });
            if (!saved.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the message did not arrive within 30 s");
            }
            return files[0];
        }
    }

    // tag::save[]
    /**
     * Writes each attachment to TARGET/UID/NAME. The component already removes path separators and control
     * characters from attachment names; FileUtil.stripPath keeps it to a plain file name all the same.
     */
    static int saveAttachments(Exchange exchange, Path target) throws IOException {
        AttachmentMessage message = exchange.getIn(AttachmentMessage.class);
        Path folder = target.resolve(String.valueOf(message.getHeader(CatalystMailConstants.UID)));
        Files.createDirectories(folder);
        int written = 0;
        for (Map.Entry<String, DataHandler> attachment : message.getAttachments().entrySet()) {
            Path file = folder.resolve(FileUtil.stripPath(attachment.getKey()));
            try (InputStream in = attachment.getValue().getInputStream()) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            written++;
        }
        return written;
    }
    // end::save[]
}
