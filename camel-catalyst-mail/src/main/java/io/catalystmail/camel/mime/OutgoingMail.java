package io.catalystmail.camel.mime;

import io.catalystmail.camel.smtp.Envelope;
import io.catalystmail.camel.smtp.MessageContent;

/**
 * One exchange turned into mail: who it goes to (the SMTP envelope, Bcc included; null for a message composed to be
 * stored with APPEND), what is sent, and the Message-ID it carries (null when a raw message has none).
 */
public record OutgoingMail(Envelope envelope, MessageContent content, String messageId) {
}
