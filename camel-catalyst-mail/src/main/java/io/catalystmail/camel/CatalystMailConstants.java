package io.catalystmail.camel;

import org.apache.camel.spi.Metadata;

/** Exchange headers of the {@code catalystmail:} component. All start with {@code CamelCatalystMail}. */
public final class CatalystMailConstants {

    /** Prefix of every header this component reads or writes; inbound mail headers with it are dropped. */
    public static final String PREFIX = "CamelCatalystMail";

    // ---- producer input

    @Metadata(label = "producer", description = "Sender address, overrides the from option.", javaType = "String")
    public static final String FROM = PREFIX + "From";
    @Metadata(label = "producer", description = "Recipients, separated by commas or semicolons, override the to option.",
              javaType = "String")
    public static final String TO = PREFIX + "To";
    @Metadata(label = "producer", description = "Carbon-copy recipients, override the cc option.", javaType = "String")
    public static final String CC = PREFIX + "Cc";
    @Metadata(label = "producer", description = "Blind carbon-copy recipients, override the bcc option.", javaType = "String")
    public static final String BCC = PREFIX + "Bcc";
    @Metadata(label = "producer", description = "Reply-To addresses, override the replyTo option.", javaType = "String")
    public static final String REPLY_TO = PREFIX + "ReplyTo";
    @Metadata(label = "producer", description = "The subject, overrides the subject option.", javaType = "String")
    public static final String SUBJECT = PREFIX + "Subject";
    @Metadata(label = "producer", description = "Content type of the body, overrides the contentType option.", javaType = "String")
    public static final String CONTENT_TYPE = PREFIX + "ContentType";
    @Metadata(label = "producer", description = "Envelope sender (MAIL FROM), overrides the envelopeFrom option.", javaType = "String")
    public static final String ENVELOPE_FROM = PREFIX + "EnvelopeFrom";
    @Metadata(description = "Producer: an alternative body (HTML when the body is plain text, or plain text when the body is HTML), "
            + "sent as multipart/alternative. Consumer: the alternative the body is not.", javaType = "String")
    public static final String ALTERNATIVE_BODY = PREFIX + "AlternativeBody";
    @Metadata(label = "producer", description = "DSN NOTIFY for this exchange, overrides dsnNotify.", javaType = "String")
    public static final String DSN_NOTIFY = PREFIX + "DsnNotify";
    @Metadata(label = "producer", description = "DSN RET for this exchange, overrides dsnReturn.", javaType = "String")
    public static final String DSN_RETURN = PREFIX + "DsnReturn";
    @Metadata(label = "producer", description = "DSN ENVID (envelope id) for this exchange.", javaType = "String")
    public static final String DSN_ENVELOPE_ID = PREFIX + "DsnEnvelopeId";
    @Metadata(label = "producer", description = "DSN ORCPT: set to true to send each recipient's original address.", javaType = "Boolean")
    public static final String DSN_ORIGINAL_RECIPIENT = PREFIX + "DsnOriginalRecipient";

    // ---- producer output

    @Metadata(description = "Producer: the Message-ID sent. Consumer: the Message-ID of the received message.", javaType = "String")
    public static final String MESSAGE_ID = PREFIX + "MessageId";
    @Metadata(label = "producer", description = "Recipients the server accepted.", javaType = "java.util.List<String>")
    public static final String ACCEPTED_RECIPIENTS = PREFIX + "AcceptedRecipients";
    @Metadata(label = "producer", description = "Recipients the server rejected, each mapped to the server's reply.",
              javaType = "java.util.Map<String,String>")
    public static final String REJECTED_RECIPIENTS = PREFIX + "RejectedRecipients";

    // ---- consumer output

    @Metadata(description = "IMAP UID of the message; producer append: the new message's UID (RFC 4315 APPENDUID),"
            + " absent when the server gives no usable APPENDUID (none without UIDPLUS; an unreadable one is warned"
            + " about once per endpoint): the message is appended all the same.", javaType = "Long")
    public static final String UID = PREFIX + "Uid";
    @Metadata(description = "IMAP UIDVALIDITY of the folder (consumer, and the producer's append, status, search, fetch, "
            + "copy and move); after an append, absent when the server gives no usable APPENDUID.", javaType = "Long")
    public static final String UID_VALIDITY = PREFIX + "UidValidity";
    @Metadata(label = "consumer", description = "POP3 UIDL of the message.", javaType = "String")
    public static final String UIDL = PREFIX + "Uidl";
    @Metadata(description = "The server's name of the folder (after special-use and namespace resolution: folder=Archive/2026"
            + " is INBOX.Archive.2026 where the personal namespace is INBOX.). Consumer: the folder the message was read"
            + " from (INBOX for POP3). Producer: the folder the operation worked on. Non-ASCII names in Unicode (Entwürfe),"
            + " not in the modified UTF-7 of the wire; the name fits any folder, moveTo or copyTo option as it is.",
              javaType = "String")
    public static final String FOLDER = PREFIX + "Folder";
    @Metadata(label = "consumer", description = "IMAP flags of the message when it was fetched.", javaType = "java.util.Set<String>")
    public static final String FLAGS = PREFIX + "Flags";
    @Metadata(label = "consumer", description = "IMAP INTERNALDATE, when the server received the message.", javaType = "java.time.Instant")
    public static final String INTERNAL_DATE = PREFIX + "InternalDate";
    @Metadata(label = "consumer", description = "Size of the message in octets.", javaType = "Long")
    public static final String SIZE = PREFIX + "Size";
    @Metadata(label = "consumer", description = "Set when the text body (or, failing that, the alternative body) could not be "
            + "decoded with the charset its part declares, because the charset is unknown (x-unknown) or wrong for the bytes "
            + "(8-bit text labelled us-ascii or unlabelled, Windows-1252 text labelled iso-8859-1). Names the charset used "
            + "and the one declared, e.g. \"windows-1252 instead of x-unknown\". The fallbacks: UTF-8 when the bytes are "
            + "valid UTF-8, else Windows-1252.", javaType = "String")
    public static final String CHARSET_FALLBACK = PREFIX + "CharsetFallback";
    @Metadata(label = "consumer", description = "Key identifying the message for idempotency (host, user, folder, UIDVALIDITY, UID or UIDL).",
              javaType = "String")
    public static final String MESSAGE_KEY = PREFIX + "MessageKey";

    // ---- consumer per-exchange overrides of after-processing

    @Metadata(label = "consumer", description = "Set to true or false to override the delete option for this message.", javaType = "Boolean")
    public static final String DELETE = PREFIX + "Delete";
    @Metadata(label = "consumer", description = "Set to a folder to move this message there, overriding moveTo.", javaType = "String")
    public static final String MOVE_TO = PREFIX + "MoveTo";
    @Metadata(label = "consumer", description = "Set to a folder to copy this message there, overriding copyTo.", javaType = "String")
    public static final String COPY_TO = PREFIX + "CopyTo";
    @Metadata(label = "consumer", description = "Set to true or false to override markSeen for this message.", javaType = "Boolean")
    public static final String MARK_SEEN = PREFIX + "MarkSeen";

    // ---- mailbox operations producer (imap, pop3)

    @Metadata(label = "producer", description = "The mailbox operation for this exchange, overrides the operation option.",
              javaType = "String")
    public static final String OPERATION = PREFIX + "Operation";
    @Metadata(label = "producer", description = "The folder the operation works on, overrides the folder option.",
              javaType = "String")
    public static final String OPERATION_FOLDER = PREFIX + "OperationFolder";
    @Metadata(label = "producer", description = "Target folder of copy and move, new name of rename; overrides destination.",
              javaType = "String")
    public static final String DESTINATION = PREFIX + "Destination";
    @Metadata(label = "producer", description = "The UIDs fetch, store, copy, move and expunge work on: a UID set such as "
            + "4 or 1:3,7, a number or a collection of numbers. Output of search: the UIDs found. Refused in another"
            + " folder than the CamelCatalystMailFolder beside them or under another UIDVALIDITY than the"
            + " CamelCatalystMailUidValidity beside them (RFC 3501 2.3.1.1).", javaType = "Object")
    public static final String UIDS = PREFIX + "Uids";
    @Metadata(label = "producer", description = "Flags and keywords for store and append, overrides the flags option.",
              javaType = "String")
    public static final String STORE_FLAGS = PREFIX + "StoreFlags";
    @Metadata(label = "producer", description = "add, remove or replace: overrides the storeMode option.", javaType = "String")
    public static final String STORE_MODE = PREFIX + "StoreMode";
    @Metadata(label = "producer", description = "A filter in the search option's syntax for search and fetch, overrides search.",
              javaType = "String")
    public static final String SEARCH = PREFIX + "Search";
    @Metadata(label = "producer", description = "Reference name of list and lsub (RFC 3501 6.3.8), empty by default.",
              javaType = "String")
    public static final String LIST_REFERENCE = PREFIX + "ListReference";
    @Metadata(label = "producer", description = "Mailbox pattern of list and lsub; by default every folder.", javaType = "String")
    public static final String LIST_PATTERN = PREFIX + "ListPattern";
    @Metadata(label = "producer", description = "status and POP3 stat: the number of messages.", javaType = "Long")
    public static final String MESSAGES = PREFIX + "Messages";
    @Metadata(label = "producer", description = "status: the number of unseen messages.", javaType = "Long")
    public static final String UNSEEN = PREFIX + "Unseen";
    @Metadata(label = "producer", description = "status: the number of recent messages (IMAP4rev1 only).", javaType = "Long")
    public static final String RECENT = PREFIX + "Recent";
    @Metadata(label = "producer", description = "status: the UID the next message will get.", javaType = "Long")
    public static final String UID_NEXT = PREFIX + "UidNext";
    @Metadata(label = "producer", description = "status: HIGHESTMODSEQ, when the server offers CONDSTORE (RFC 7162).",
              javaType = "Long")
    public static final String HIGHEST_MODSEQ = PREFIX + "HighestModSeq";
    @Metadata(label = "producer", description = "POP3 stat: the size of the maildrop in octets.", javaType = "Long")
    public static final String MAILDROP_SIZE = PREFIX + "MaildropSize";
    @Metadata(label = "producer", description = "fetch: list or iterator, overrides the fetchAs option.",
              javaType = "String")
    public static final String FETCH_AS = PREFIX + "FetchAs";
    @Metadata(label = "producer", description = "fetch of several messages: the UIDs of those above maxMessageSize, "
            + "left out and not downloaded.", javaType = "java.util.List<Long>")
    public static final String OVERSIZED_UIDS = PREFIX + "OversizedUids";
    @Metadata(label = "producer", description = "copy and move: the UIDs of the copies in the destination folder, in the "
            + "order of the source UIDs (COPYUID, when the server offers UIDPLUS).", javaType = "java.util.List<Long>")
    public static final String DESTINATION_UIDS = PREFIX + "DestinationUids";

    private CatalystMailConstants() {
    }
}
