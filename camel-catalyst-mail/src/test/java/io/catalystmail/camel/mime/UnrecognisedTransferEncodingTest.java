package io.catalystmail.camel.mime;

import jakarta.activation.DataHandler;
import org.apache.camel.Message;
import org.apache.camel.attachment.AttachmentMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * RFC 2045 section 6.4: "Any entity with an unrecognized Content-Transfer-Encoding must be treated as if it has a
 * Content-Type of application/octet-stream, regardless of what the Content-Type header field actually says." The
 * parser does (no text body, the bytes undecoded as an attachment named part-1.bin), and the attachment must say
 * so too: a route that trusts its text/plain would read x-foo bytes as text.
 */
@ExtendWith(TestMessages.CompleteExchanges.class)
class UnrecognisedTransferEncodingTest {

    @Test
    void thePartIsAnOctetStreamAttachmentWhateverItsContentTypeSays() throws Exception {
        Message message = TestMessages.map(new MessageMapper(MimeLimits.defaults(), false, false),
                TestMessages.bytes("differential/unknown-transfer-encoding.eml"));
        assertEquals("", message.getBody(String.class));
        DataHandler attachment = message.getExchange().getMessage(AttachmentMessage.class).getAttachment("part-1.bin");
        assertEquals("application/octet-stream", attachment.getContentType());
    }
}
