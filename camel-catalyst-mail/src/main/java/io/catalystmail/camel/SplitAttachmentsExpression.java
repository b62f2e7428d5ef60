package io.catalystmail.camel;

import org.apache.camel.Exchange;
import org.apache.camel.support.ExpressionAdapter;

/**
 * For {@code split(...)}: one message per attachment of the exchange, like camel-mail's
 * {@code SplitAttachmentsExpression}. Each carries the mail's headers, the attachment's name in
 * {@value #NAME} and content type in {@value #CONTENT_TYPE}, and its content as the body: a stream (parts above
 * bodyStorageThreshold are read from their temp file, never held in the heap) or, with {@code bodyAsBytes}, bytes.
 * <p>
 * The consumer releases temp files when the mail's exchange completes: split synchronously (the default) or
 * finish the work of every part before the mail's exchange ends.
 *
 * <pre>
 * from("catalystmail:imaps:imap.example.com?...")
 *     .split(new SplitAttachmentsExpression())
 *         .to("file:inbox/attachments?fileName=${header.CamelCatalystMailAttachmentName}");
 * </pre>
 *
 * YAML and XML routes use the same splitting through the bean {@link AttachmentParts}
 * ({@code split: {method: {beanType: io.catalystmail.camel.AttachmentParts}}}): Camel's bean language cannot
 * choose between the two {@code evaluate} methods of an expression.
 */
public class SplitAttachmentsExpression extends ExpressionAdapter {

    /** Header with the attachment's file name (made safe by the consumer: no path, unique within the mail). */
    public static final String NAME = CatalystMailConstants.PREFIX + "AttachmentName";
    /** Header with the attachment's content type. */
    public static final String CONTENT_TYPE = CatalystMailConstants.PREFIX + "AttachmentContentType";

    private final AttachmentParts parts;

    public SplitAttachmentsExpression() {
        this(false);
    }

    /** @param bodyAsBytes the body is the attachment's bytes instead of a stream (small attachments only) */
    public SplitAttachmentsExpression(boolean bodyAsBytes) {
        this.parts = new AttachmentParts(bodyAsBytes);
    }

    @Override
    public Object evaluate(Exchange exchange) {
        return parts.split(exchange);
    }

    @Override
    public String toString() {
        return "splitAttachments";
    }
}
