package io.catalystmail.camel;

/** What a message is remembered by in the consumer's idempotent repository. */
public enum IdempotentKey {
    /**
     * Where the message lives: host, user, folder, UIDVALIDITY and UID over IMAP (an RFC 5092-style URL), host,
     * user and UIDL over POP3. Known before the message is fetched, unique per server, but new after a move to
     * another server or folder, or when the server renumbers the folder (UIDVALIDITY changes).
     */
    LOCATION,
    /**
     * The Message-ID header, as camel-mail keys its repository: survives a move between folders and servers, and
     * lets a repository filled by camel-mail go on working, but is chosen by the sender, so two different messages
     * may share one (the second is then never routed), and it must be read from the message's header: where the
     * listing keeps processed messages the consumer reads it before the body (PollCandidates#learnKeys), else a
     * message is fetched before its key is known. A message without a Message-ID falls back to its LOCATION key.
     */
    MESSAGE_ID
}
