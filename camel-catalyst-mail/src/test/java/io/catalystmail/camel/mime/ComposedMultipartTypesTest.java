package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.activation.DataHandler;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.camel.util.ObjectHelper;
import org.apache.james.mime4j.field.Fields;
import org.apache.james.mime4j.stream.NameValuePair;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The Content-Type lines of composed multiparts are the ones Mime4j's builder wrote for the same subtype, parameter
 * and boundary (the composer formats them itself now).
 */
class ComposedMultipartTypesTest {

    private static final Pattern MULTIPART_TYPE = Pattern.compile("Content-Type: multipart/[^\r]*(\r\n[ \t][^\r]*)*");
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    @Test
    void relatedAlternativeAndMixedAreWrittenAsMime4jBuiltThem() throws Exception {
        CamelContext context = new DefaultCamelContext();
        context.start();
        try {
            CatalystMailConfiguration config = new CatalystMailConfiguration();
            config.setFrom("sender@example.com");
            config.setTo("rcpt@example.com");
            config.setContentType("text/html");
            Exchange exchange = new DefaultExchange(context);
            exchange.getIn().setBody("<p><img src=\"cid:logo@x\"></p>");
            exchange.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, "plain");
            AttachmentMessage attachments = exchange.getMessage(AttachmentMessage.class);
            DefaultAttachment logo = new DefaultAttachment(new DataHandler("png", "text/plain"));
            logo.setHeader("Content-ID", "<logo@x>");
            attachments.addAttachmentObject("logo.png", logo);
            attachments.addAttachment("a.txt", new DataHandler("text", "text/plain"));

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new MessageComposer(config, "test.example").compose(exchange.getMessage()).content().writeTo(out);
            String written = out.toString(StandardCharsets.UTF_8);

            List<String> lines = new ArrayList<>();
            Matcher type = MULTIPART_TYPE.matcher(written);
            while (type.find()) {
                lines.add(type.group());
            }
            assertEquals(3, lines.size(), written);
            assertEquals(mime4j("mixed", null, boundary(lines.get(0))), lines.get(0));
            assertEquals(mime4j("alternative", null, boundary(lines.get(1))), lines.get(1));
            assertEquals(mime4j("related", new NameValuePair("type", "text/html"), boundary(lines.get(2))),
                    lines.get(2));
        } finally {
            context.stop();
        }
    }

    private static String boundary(String line) {
        Matcher boundary = BOUNDARY.matcher(line);
        ObjectHelper.notNull(boundary.find() ? boundary.group(1) : null, "boundary in " + line);
        return boundary.group(1);
    }

    /** What Mime4j's builder set for a multipart body: its parameters, then the boundary. */
    private static String mime4j(String subtype, NameValuePair parameter, String boundary) {
        List<NameValuePair> parameters = new ArrayList<>();
        if (parameter != null) {
            parameters.add(parameter);
        }
        parameters.add(new NameValuePair("boundary", boundary));
        return new String(Fields.contentType("multipart/" + subtype, parameters).getSafeRaw().toByteArray(),
                StandardCharsets.UTF_8);
    }
}
