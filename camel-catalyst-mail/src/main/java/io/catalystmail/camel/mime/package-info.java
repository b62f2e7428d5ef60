/**
 * MIME for the Camel layer. Inbound, {@link io.catalystmail.camel.mime.MessageMapper} turns the bytes of a
 * received message into a Camel message in one streaming pass of our own small pull parser
 * ({@code PartReader}, {@code DelimitedInput}, {@code EntityHeaderReader}): header fields decoded (RFC 2047, raw UTF-8 per RFC 6532), the text part as body,
 * every other part an attachment named from RFC 2231/2047 parameters. Parts above the storage threshold live in
 * temp files owned by the exchange and deleted when it completes. Hostile input is bounded by
 * {@link io.catalystmail.camel.mime.MimeLimits}: header size and count, nesting depth (deeper multiparts stay
 * opaque, and the parser never recurses on the Java stack), part count, heap per message. Outbound,
 * {@link io.catalystmail.camel.mime.MessageComposer} builds a tree of {@code OutgoingPart}s whose header lines are
 * formatted once (Mime4j's folding, encoded words and address formatting) and which {@code OutgoingPartWriter} writes
 * while the DATA command streams, reading attachments and stream bodies only then.
 */
package io.catalystmail.camel.mime;
