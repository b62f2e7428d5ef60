package io.catalystmail.camel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Handler;
import org.apache.camel.Message;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.attachment.Attachment;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachmentMessage;
import org.apache.camel.support.DefaultMessage;

/**
 * The splitting behind {@link SplitAttachmentsExpression}, as a bean for YAML and XML routes:
 * {@code split: {method: {beanType: io.catalystmail.camel.AttachmentParts}}}. Each part carries the mail's headers,
 * the attachment's name in {@link SplitAttachmentsExpression#NAME} and content type in
 * {@link SplitAttachmentsExpression#CONTENT_TYPE}, and its content as the body (a stream, or bytes).
 */
public class AttachmentParts {

    private final boolean bodyAsBytes;

    public AttachmentParts() {
        this(false);
    }

    /** @param bodyAsBytes the body is the attachment's bytes instead of a stream (small attachments only) */
    public AttachmentParts(boolean bodyAsBytes) {
        this.bodyAsBytes = bodyAsBytes;
    }

    /** One message per attachment of the exchange's message; none when it has no attachments. */
    @Handler
    public List<Message> split(Exchange exchange) {
        Message in = exchange.getMessage();
        AttachmentMessage mail = in instanceof AttachmentMessage a ? a : new DefaultAttachmentMessage(in);
        List<Message> parts = new ArrayList<>();
        if (!mail.hasAttachments()) {
            return parts;
        }
        for (Map.Entry<String, Attachment> entry : mail.getAttachmentObjects().entrySet()) {
            parts.add(part(in, entry.getKey(), entry.getValue()));
        }
        return parts;
    }

    private Message part(Message in, String name, Attachment attachment) {
        // a new message, not in.copy(): a copy shares the exchange that holds the mail's attachments
        Message part = new DefaultMessage(in.getExchange().getContext());
        part.setHeaders(new java.util.HashMap<>(in.getHeaders()));
        part.setHeader(SplitAttachmentsExpression.NAME, name);
        part.setHeader(SplitAttachmentsExpression.CONTENT_TYPE, attachment.getDataHandler().getContentType());
        try {
            if (bodyAsBytes) {
                // closed here: a stored part's stream holds a file the consumer deletes when the mail's exchange
                // completes, whose disk space stays taken while a descriptor is open
                try (InputStream content = attachment.getDataHandler().getInputStream()) {
                    part.setBody(content.readAllBytes());
                }
            } else {
                part.setBody(attachment.getDataHandler().getInputStream());
            }
        } catch (IOException e) {
            throw new RuntimeCamelException("Cannot read attachment " + name + ": " + e.getMessage(), e);
        }
        return part;
    }
}
