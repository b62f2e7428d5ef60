package io.catalystmail.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import io.catalystmail.camel.CatalystMailConstants;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;

/**
 * The two Camel components compared: the URIs each needs for a workload and the few places where their
 * exchanges differ (header names for outgoing mail, the body of a raw message). Everything else, above all
 * how the route reads a message, is the same code for both.
 */
public enum ComponentUnderTest {

    CATALYSTMAIL("catalystmail") {
        @Override
        String consumerUri(Workload workload, Target target, int maxMessages, String pollStrategy) {
            return "catalystmail:" + scheme(workload) + ":" + target.host() + ":" + target.port()
                   + "?username=" + target.user() + "&password=RAW(" + target.password() + ")"
                   + "&delete=true&fetchRoundSize=50&maxMessagesPerPoll=" + maxMessages + "&raw=" + workload.raw()
                   + PLAINTEXT + polling(pollStrategy);
        }

        @Override
        String producerUri(Target target, String from, String to) {
            return "catalystmail:smtp:" + target.host() + ":" + target.port() + "?username=" + target.user()
                   + "&password=RAW(" + target.password() + ")&from=" + from + "&to=" + to + PLAINTEXT;
        }

        @Override
        void setSubjectAndAlternative(Exchange exchange, String subject, String html) {
            // catalystmail takes its steering headers only under its own prefix (plain ones need allowPlainHeaders)
            exchange.getMessage().setHeader(CatalystMailConstants.SUBJECT, subject);
            exchange.getMessage().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, html);
        }

        @Override
        long readRaw(Exchange exchange) throws IOException {
            try (InputStream in = exchange.getMessage().getMandatoryBody(InputStream.class)) {
                return drain(in);
            } catch (org.apache.camel.InvalidPayloadException e) {
                throw new IOException(e);
            }
        }
    },

    CAMEL_MAIL("camel-mail") {
        @Override
        String consumerUri(Workload workload, Target target, int maxMessages, String pollStrategy) {
            // camel-mail's own defaults otherwise (fetchSize -1: everything the poll selects)
            return scheme(workload) + "://" + target.host() + ":" + target.port()
                   + "?username=" + target.user() + "&password=RAW(" + target.password() + ")"
                   + "&delete=true&maxMessagesPerPoll=" + maxMessages + "&mapMailMessage=" + !workload.raw()
                   + polling(pollStrategy);
        }

        @Override
        String producerUri(Target target, String from, String to) {
            return "smtp://" + target.host() + ":" + target.port() + "?username=" + target.user()
                   + "&password=RAW(" + target.password() + ")&from=" + from + "&to=" + to;
        }

        @Override
        void setSubjectAndAlternative(Exchange exchange, String subject, String html) {
            exchange.getMessage().setHeader("Subject", subject);
            exchange.getMessage().setHeader("CamelMailAlternativeBody", html);
        }

        @Override
        long readRaw(Exchange exchange) throws IOException {
            // with mapMailMessage=false the body is the Jakarta Mail message itself; writeTo streams it as stored
            jakarta.mail.Message message = exchange.getMessage().getBody(jakarta.mail.Message.class);
            if (message == null) {
                throw new IOException("camel-mail gave no jakarta.mail.Message body");
            }
            CountingSink sink = new CountingSink();
            try {
                message.writeTo(sink);
            } catch (jakarta.mail.MessagingException e) {
                throw new IOException(e);
            }
            return sink.count();
        }
    },

    /**
     * The raw wire, without Camel: {@link WireClients} for IMAP and POP3, Postfix's smtp-source for SMTP. Measured
     * in the same run as the components, it is the limit their figures are divided by.
     */
    WIRE("wire") {
        @Override
        String consumerUri(Workload workload, Target target, int maxMessages, String pollStrategy) {
            throw new IllegalStateException("the wire is measured without Camel");
        }

        @Override
        String producerUri(Target target, String from, String to) {
            throw new IllegalStateException("the wire is measured without Camel");
        }

        @Override
        void setSubjectAndAlternative(Exchange exchange, String subject, String html) {
            throw new IllegalStateException("the wire is measured without Camel");
        }

        @Override
        long readRaw(Exchange exchange) {
            throw new IllegalStateException("the wire is measured without Camel");
        }

        @Override
        boolean runs(Workload workload) {
            return workload.wireReference() == workload;
        }
    };

    /**
     * camel-mail's imap, pop3 and smtp endpoints never start TLS unless told to; catalystmail starts it whenever
     * the server offers it. Both run without TLS here, so the figures compare the same work.
     */
    static final String PLAINTEXT = "&startTls=DISABLED";

    /** Poll at once and again 10 ms after each poll; the strategy bean ({@link PollGate}) decides which polls run. */
    static String polling(String pollStrategyBean) {
        return "&initialDelay=0&delay=10&pollStrategy=#" + pollStrategyBean;
    }

    private final String label;

    ComponentUnderTest(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static ComponentUnderTest fromLabel(String label) {
        for (ComponentUnderTest c : values()) {
            if (c.label.equals(label)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown component " + label + " (catalystmail, camel-mail or wire)");
    }

    /** Where a run connects: one server port and one mailbox account. */
    public record Target(String host, int port, String user, String password) {
    }

    abstract String consumerUri(Workload workload, Target target, int maxMessages, String pollStrategy);

    abstract String producerUri(Target target, String from, String to);

    abstract void setSubjectAndAlternative(Exchange exchange, String subject, String html);

    /** Whether this component has a run for the workload (the wire has none for some). */
    boolean runs(Workload workload) {
        return true;
    }

    /** Reads a raw-mode message to its end; returns the bytes read. */
    abstract long readRaw(Exchange exchange) throws IOException;

    /** Reads the text body and every attachment to its end; returns the attachment bytes read. */
    long readMapped(Exchange exchange) throws IOException {
        String body = exchange.getMessage().getBody(String.class);
        if (body == null || body.isEmpty()) {
            throw new IOException("the exchange has no text body");
        }
        AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
        long read = 0;
        if (attachments != null && attachments.hasAttachments()) {
            for (DataHandler handler : attachments.getAttachments().values()) {
                try (InputStream in = handler.getInputStream()) {
                    read += drain(in);
                }
            }
        }
        return read;
    }

    /** Sets body, HTML alternative and attachment of one outgoing message. */
    void prepareOutgoing(Exchange exchange, int number, Path attachmentFile) {
        exchange.getMessage().setBody(OutgoingParts.TEXT);
        setSubjectAndAlternative(exchange, TestMessage.SUBJECT + " " + TestMessage.numbered(number), OutgoingParts.HTML);
        DataHandler attachment = attachmentFile != null
                ? new DataHandler(new FileDataSource(attachmentFile.toFile()))
                : new DataHandler(new ByteArrayDataSource(OutgoingParts.ATTACHMENT, "application/octet-stream"));
        exchange.getMessage(AttachmentMessage.class).addAttachment(TestMessage.ATTACHMENT_NAME, attachment);
    }

    /**
     * The parts of every outgoing message, built once as smtp-source reads its file once: generating 20 KB of
     * random bytes and two texts per message was harness work inside the measured send. Neither component
     * changes them (the attachment's data source only reads its array).
     */
    private static final class OutgoingParts {
        static final String TEXT = TestMessage.text();
        static final String HTML = TestMessage.html();
        static final byte[] ATTACHMENT = TestMessage.attachment();
    }

    private static String scheme(Workload workload) {
        return workload.protocol() == Workload.Protocol.IMAP ? "imap" : "pop3";
    }

    /**
     * One per route thread: a new 16 KB array for every attachment was a tenth of what the consumer's JVM allocated
     * per message, charged to whichever component was measured.
     */
    private static final ThreadLocal<byte[]> DRAIN_BUFFER = ThreadLocal.withInitial(() -> new byte[16 * 1024]);

    static long drain(InputStream in) throws IOException {
        byte[] buffer = DRAIN_BUFFER.get();
        long total = 0;
        for (int n; (n = in.read(buffer)) >= 0; ) {
            total += n;
        }
        return total;
    }
}
