package io.catalystmail.camel;

import io.catalystmail.camel.auth.AccessTokenSupplier;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.net.StartTlsMode;
import io.catalystmail.camel.smtp.AuthNotOffered;
import org.apache.camel.LoggingLevel;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Options of a {@code catalystmail:} endpoint. Set on the component, they are inherited by every endpoint it
 * creates; set on an endpoint URI, they override the component's.
 */
@Configurer(extended = true)
@UriParams
public class CatalystMailConfiguration implements Cloneable {

    // ---- path

    /** The protocol: smtp, smtps, submission, imap, imaps, pop3 or pop3s. */
    @UriPath(enums = "smtp,smtps,submission,imap,imaps,pop3,pop3s")
    @Metadata(required = true)
    private MailProtocol protocol;
    /** The mail server's host name. */
    @UriPath
    @Metadata(required = true)
    private String host;
    /** The server port; 0 or absent selects the protocol's standard port (IMAP 143/993, POP3 110/995, SMTP 25/465). */
    @UriPath(defaultValue = "0")
    private int port;

    // ---- common: connection and security

    /** Use implicit TLS from the first byte (implied by smtps, imaps and pop3s). Also selects the secure standard port. */
    @UriParam(label = "security")
    private boolean secure;
    /** Upgrade a plain connection with STARTTLS: when the server offers it, required, or disabled. */
    @UriParam(label = "security", defaultValue = "WHEN_OFFERED")
    private StartTlsMode startTls = StartTlsMode.WHEN_OFFERED;
    /** Camel TLS configuration (trust store, key store, protocols); the JVM's default trust store when not set. */
    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;
    /**
     * Verify that the server certificate names the host. On by default; turn off only for testing against
     * a server whose certificate cannot be fixed.
     */
    @UriParam(label = "security", defaultValue = "true")
    private boolean verifyHostname = true;
    /**
     * Allow sending a password or token over an unencrypted connection to a host that is not loopback. Off by
     * default: such a login fails before credentials are sent.
     */
    @UriParam(label = "security", defaultValue = "false")
    private boolean allowInsecureAuth;
    /** The login name. */
    @UriParam(label = "security", secret = true)
    private String username;
    /** The password. Never logged, never shown in the endpoint URI. */
    @UriParam(label = "security", secret = true)
    private String password;
    /**
     * Authentication mechanism to use: the SASL mechanisms PLAIN, LOGIN, CRAM-MD5, XOAUTH2 or OAUTHBEARER, or for
     * POP3 also APOP and USER (USER/PASS). Default: the strongest both sides support.
     */
    @UriParam(label = "security", enums = "PLAIN,LOGIN,CRAM-MD5,XOAUTH2,OAUTHBEARER,APOP,USER")
    private String authMechanism;
    /**
     * SMTP: what to do when credentials are configured but the server offers no AUTH (servers that trust their
     * network, such as Apache James from loopback). PROCEED_OVER_VERIFIED_TLS sends without logging in only over TLS
     * with the host name verified (on a plain connection AUTH may have been stripped), PROCEED always (a relay
     * trusted on its network), FAIL never.
     */
    @UriParam(label = "producer,security", defaultValue = "PROCEED_OVER_VERIFIED_TLS")
    private AuthNotOffered authNotOffered = AuthNotOffered.PROCEED_OVER_VERIFIED_TLS;
    /** An OAuth2 access token for XOAUTH2 or OAUTHBEARER (Gmail, Microsoft 365); fixed, so never refreshed. */
    @UriParam(label = "security", secret = true)
    private String accessToken;
    /**
     * A bean supplying OAuth2 access tokens for XOAUTH2 or OAUTHBEARER; asked before each login, and once more for a
     * fresh token when the server refuses one as expired. Wins over accessToken. Autowired when the registry holds
     * one such bean; an endpoint that also has a password logs in with the password unless authMechanism names
     * XOAUTH2 or OAUTHBEARER.
     */
    @Metadata(autowired = true)
    @UriParam(label = "security")
    private AccessTokenSupplier accessTokenSupplier;
    /** How long connecting and the TLS handshake may take: milliseconds, or a duration such as 30s. */
    @UriParam(label = "advanced", defaultValue = "30000", javaType = "java.time.Duration")
    private long connectTimeout = 30_000;
    /**
     * How long a single read from the server may wait before the operation fails: milliseconds, or a duration such
     * as 60s.
     */
    @UriParam(label = "advanced", defaultValue = "60000", javaType = "java.time.Duration")
    private long readTimeout = 60_000;
    /**
     * How long a whole login may take: connect, greeting, TLS, capabilities, authentication (and IMAP's SELECT). When
     * it passes the connection is dropped, however steadily the server still trickles bytes. Milliseconds, or a
     * duration such as 2m.
     */
    @UriParam(label = "advanced", defaultValue = "120000", javaType = "java.time.Duration")
    private long loginTimeout = 120_000;
    /** Raw mode. Consumer: the body is the original RFC 822 bytes. Producer: the body is a complete RFC 822 message sent as is. */
    @UriParam
    private boolean raw;

    // ---- producer

    /** Sender address (From header and, unless envelopeFrom is set, MAIL FROM). */
    @UriParam(label = "producer")
    private String from;
    /** Envelope sender for MAIL FROM when it differs from the From header (e.g. a bounce address). */
    @UriParam(label = "producer")
    private String envelopeFrom;
    /** Recipients, separated by commas or semicolons. */
    @UriParam(label = "producer")
    private String to;
    /** Carbon-copy recipients, separated by commas or semicolons. */
    @UriParam(label = "producer")
    private String cc;
    /**
     * Blind carbon-copy recipients, separated by commas or semicolons; they get the mail but are never written into
     * it.
     */
    @UriParam(label = "producer")
    private String bcc;
    /** Reply-To addresses, separated by commas or semicolons. */
    @UriParam(label = "producer")
    private String replyTo;
    /**
     * The subject, used as written: an endpoint option is no expression, so for a subject per message set the
     * Subject (or CamelCatalystMailSubject) header, which takes precedence over this option.
     */
    @UriParam(label = "producer")
    private String subject;
    /** Content type of the body. */
    @UriParam(label = "producer", defaultValue = "text/plain; charset=UTF-8")
    private String contentType = "text/plain; charset=UTF-8";
    /**
     * Let plain exchange headers named To, Cc, Bcc, From, Reply-To and Subject set the mail. Off by default,
     * so headers arriving from other components (an HTTP request, say) cannot redirect mail; the
     * CamelCatalystMail* headers always work.
     */
    @UriParam(label = "producer", defaultValue = "false")
    private boolean allowPlainHeaders;
    /** The host name sent in EHLO; the local host name when not set. */
    @UriParam(label = "producer,advanced")
    private String localHostName;
    /** DSN (RFC 3461) NOTIFY: NEVER, or any of SUCCESS,FAILURE,DELAY comma separated. Sent only when the server offers DSN. */
    @UriParam(label = "producer,dsn")
    private String dsnNotify;
    /** DSN RET: FULL or HDRS, how much of the message a bounce returns. */
    @UriParam(label = "producer,dsn", enums = "FULL,HDRS")
    private String dsnReturn;
    /**
     * How long an idle SMTP connection is kept open for the next exchange before it is closed: milliseconds, or a
     * duration such as 60s.
     */
    @UriParam(label = "producer,advanced", defaultValue = "60000", javaType = "java.time.Duration")
    private long idleTimeout = 60_000;
    /**
     * Most connections a producer holds open at once, in use or idle: the SMTP producer's, and those an IMAP
     * operations producer shares with the other endpoints of the same server and login. Concurrent exchanges share
     * them; one that finds all busy waits, in arrival order, up to connectTimeout for one to come free, then fails
     * naming server and limit. Servers cap connections per client (Postfix's smtpd_client_connection_count_limit is
     * 50, Dovecot's mail_max_userip_connections 10 per user by default); 10 stays within that, and is more than one
     * route's threads usually need. A streamed IMAP fetch (fetchAs=iterator) holds its connection until it is read.
     */
    @UriParam(label = "producer", defaultValue = "10")
    private int maxConnections = 10;
    /**
     * How long one SMTP transaction may take, from MAIL FROM to the reply to the final dot. When it passes the
     * connection is dropped: before the final dot the message is not sent, after it the send is uncertain.
     * Milliseconds, or a duration such as 10m.
     */
    @UriParam(label = "producer,advanced", defaultValue = "600000", javaType = "java.time.Duration")
    private long sendTimeout = 600_000;
    /**
     * What an imap or pop3 producer does with each exchange (overridden by the CamelCatalystMailOperation header).
     * IMAP: append, create, delete, rename, subscribe, unsubscribe, list, lsub, status, search, fetch, store, copy,
     * move, expunge, check, close. POP3: stat, list, uidl. Not used by smtp.
     */
    @UriParam(label = "producer", enums = "append,create,delete,rename,subscribe,unsubscribe,list,lsub,status,search,"
                                          + "fetch,store,copy,move,expunge,check,close,stat,uidl")
    private String operation;
    /**
     * How an IMAP fetch of several messages gives them: list fetches them all, in one UID FETCH, into a list body;
     * iterator gives a body that fetches them round by round (fetchRoundSize messages) while a split streams through
     * it, so memory holds one round, and that keeps its connection until the split has read it or the exchange is
     * done. Overridden by the CamelCatalystMailFetchAs header.
     */
    @UriParam(label = "producer", defaultValue = "list", enums = "list,iterator")
    private String fetchAs = "list";
    /** The target folder of copy and move, and the new name of rename (IMAP operations). */
    @UriParam(label = "producer")
    private String destination;
    /** Flags and keywords for store and append, separated by spaces or commas, e.g. \Flagged $Forwarded. */
    @UriParam(label = "producer")
    private String flags;
    /** How store changes flags: add them, remove them or replace all flags with them. */
    @UriParam(label = "producer", defaultValue = "add", enums = "add,remove,replace")
    private String storeMode = "add";

    // ---- consumer

    /**
     * The folder to poll (IMAP), or the folder an IMAP producer's operation works on; a special-use attribute such as
     * \Sent names the folder that has it (RFC 6154). POP3 has only INBOX. The idempotency key holds the name as
     * written here: changing its spelling (Archiv/2026 to Archiv.2026, the same folder on a server whose delimiter is
     * a dot) gives every message a new key, so the repository no longer knows what was processed.
     */
    @UriParam(label = "common", defaultValue = "INBOX")
    private String folder = "INBOX";
    /** Only messages not seen before: IMAP without \Seen; POP3 whose UIDL is not in the idempotent repository. */
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean unseen = true;
    /**
     * A filter in IMAP SEARCH syntax, e.g. FROM "boss" SINCE 1-Nov-2026 NOT SUBJECT "[spam]": what the consumer polls,
     * and what an IMAP producer's search and fetch operations look for.
     */
    @UriParam(label = "common,filter")
    private String search;
    /** Only messages whose From contains this text (ANDed with search). */
    @UriParam(label = "consumer,filter")
    private String searchFrom;
    /** Only messages whose To contains this text (ANDed with search). */
    @UriParam(label = "consumer,filter")
    private String searchTo;
    /** Only messages whose Subject contains this text (ANDed with search). */
    @UriParam(label = "consumer,filter")
    private String searchSubject;
    /** Only messages whose body contains this text (ANDed with search). */
    @UriParam(label = "consumer,filter")
    private String searchBody;
    /** Only messages that arrived on or after this day: dd-MMM-yyyy or relative such as now-24h, now-7d. */
    @UriParam(label = "consumer,filter")
    private String since;
    /** Only messages that arrived before this day: dd-MMM-yyyy or relative such as now-24h. */
    @UriParam(label = "consumer,filter")
    private String before;
    /** At most this many messages per poll; 0 for no limit. */
    @UriParam(label = "consumer", defaultValue = "0")
    private int maxMessagesPerPoll;
    /**
     * At most this many messages per poll, as in camel-mail; -1 for no limit. 0, with which camel-mail skips every
     * poll, is refused when the endpoint is created. When both this and maxMessagesPerPoll are set, the smaller one
     * applies.
     */
    @UriParam(label = "consumer", defaultValue = "-1")
    private int fetchSize = -1;
    /**
     * Messages fetched per round trip (IMAP UID FETCH, POP3 RETR batch); routing one round overlaps fetching the
     * next. Also the round of an IMAP fetch operation with fetchAs=iterator. Not camel-mail's fetchSize, which caps a
     * poll.
     */
    @UriParam(label = "advanced", defaultValue = "50")
    private int fetchRoundSize = 50;
    /** Delete each message after its exchange completed successfully. */
    @UriParam(label = "consumer")
    private boolean delete;
    /** Move each message to this folder after its exchange completed successfully (IMAP). */
    @UriParam(label = "consumer")
    private String moveTo;
    /** Copy each message to this folder after its exchange completed successfully (IMAP). */
    @UriParam(label = "consumer")
    private String copyTo;
    /** Mark each message \Seen after its exchange completed successfully (IMAP). */
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean markSeen = true;
    /** Move messages whose exchange failed to this folder (IMAP); by default they stay untouched and unseen. */
    @UriParam(label = "consumer")
    private String moveFailedTo;
    /**
     * Create the moveTo, copyTo and moveFailedTo folders (and folders named by the CamelCatalystMailMoveTo and
     * CamelCatalystMailCopyTo headers) when they do not exist, as camel-mail does. When off, a consumer whose
     * configured folders are missing refuses to start.
     */
    @UriParam(label = "consumer", defaultValue = "true")
    private boolean autoCreateFolders = true;
    /**
     * How often the after-processing of a message that was routed successfully is tried (the first time included)
     * before the consumer gives up on it with an ERROR. The message is never routed again by this consumer.
     */
    @UriParam(label = "consumer,advanced", defaultValue = "5")
    private int afterProcessingAttempts = 5;
    /** The order in which messages reach the route. */
    @UriParam(label = "consumer", defaultValue = "UID_ASCENDING")
    private MessageOrder sortOrder = MessageOrder.UID_ASCENDING;
    /**
     * Level of the one-line summary logged after each poll that listed, routed or failed something (folder, counts,
     * messages too large, bytes, time, after-processing applied and refused); OFF for none. Empty polls stay at
     * Camel's runLoggingLevel. With Camel's default exception handler a failed poll's figures end its WARN line
     * instead (one line per failed poll; not with OFF).
     */
    @UriParam(label = "consumer", defaultValue = "INFO")
    private LoggingLevel pollSummaryLoggingLevel = LoggingLevel.INFO;
    /** Make the HTML alternative the body (the plain text one then goes to a header). */
    @UriParam(label = "consumer")
    private boolean preferHtml;
    /** Message parts larger than this many bytes are kept in temp files instead of the heap. */
    @UriParam(label = "consumer,advanced", defaultValue = "262144")
    private int bodyStorageThreshold = 256 * 1024;
    /** Longest header line accepted when parsing (Mime4j's default of 1000 rejects real mail). */
    @UriParam(label = "consumer,advanced", defaultValue = "1048576")
    private int maxHeaderLineLength = 1024 * 1024;
    /** Most header fields accepted in one entity. */
    @UriParam(label = "consumer,advanced", defaultValue = "10000")
    private int maxHeaderCount = 10_000;
    /** Deepest multipart nesting accepted; deeper parts are kept as opaque data. */
    @UriParam(label = "consumer,advanced", defaultValue = "100")
    private int maxNestingDepth = 100;
    /**
     * How long each step of a poll that talks to the server may take: one FETCH round (fetchRoundSize messages), one
     * POP3 RETR, the listing (SEARCH, UIDL and LIST), the after-processing commands. When it passes the connection is
     * dropped and the poll fails; nothing is marked, the next poll reconnects. A mailbox operation of the producer
     * (operation=...) runs under it too, a streamed fetch each of its rounds. Milliseconds, or a duration such as
     * 10m.
     */
    @UriParam(label = "consumer,advanced", defaultValue = "600000", javaType = "java.time.Duration")
    private long fetchTimeout = 600_000;
    /**
     * Largest message fetched, in bytes. A larger one is refused from its announced size (IMAP RFC822.SIZE, POP3
     * LIST) without being downloaded, or while it streams when the server announced less; it is reported to the
     * consumer's exception handler with its id once and stays on the server (or goes to moveFailedTo); each poll's
     * summary counts it as too large. The IMAP fetch
     * operation applies it too: a single message above it fails the exchange, several leave it out and name its UID
     * in the CamelCatalystMailOversizedUids header.
     */
    @UriParam(label = "common", defaultValue = "268435456")
    private long maxMessageSize = 256L * 1024 * 1024;
    /**
     * Most messages one poll lists (IMAP SEARCH results, POP3 UIDL/LIST lines): a bigger mailbox is taken in
     * sortOrder up to this count, the rest in later polls, so a huge or hostile listing cannot exhaust the heap.
     */
    @UriParam(label = "consumer,advanced", defaultValue = "50000")
    private int maxListedMessages = 50_000;
    /**
     * Text bodies larger than this many bytes are delivered as a re-readable stream backed by a temp file (a
     * Camel StreamCache of the text in its charset, which the exchange's charset property names) instead of a
     * String in the heap. 0 streams every text body.
     */
    @UriParam(label = "consumer,advanced", defaultValue = "4194304")
    private int textBodyStreamThreshold = 4 * 1024 * 1024;
    /**
     * Remembers processed messages (by host, user, folder, UIDVALIDITY and UID; POP3 by UIDL) so none is
     * processed twice, even when the server could not be updated. POP3 uses an in-memory one when not set. Host, user
     * and folder go into the key as configured: respelling them in the URI starts a new set of keys.
     */
    @Metadata(autowired = true)
    @UriParam(label = "consumer")
    private IdempotentRepository idempotentRepository;
    /**
     * The key each message is stored under in the idempotentRepository: LOCATION (host, user, folder, UIDVALIDITY
     * and UID; POP3 host, user and UIDL) or MESSAGE_ID (the Message-ID header, as camel-mail keys its repository;
     * messages without one fall back to LOCATION). See the migration guide for the trade-offs.
     */
    @UriParam(label = "consumer", defaultValue = "LOCATION")
    private IdempotentKey idempotentKey = IdempotentKey.LOCATION;
    /**
     * Which exchange headers become header fields of outgoing mail. The default passes every header except
     * Camel* ones, the fields the component writes itself, trace fields and HTTP transport headers.
     */
    @UriParam(label = "producer,advanced")
    private HeaderFilterStrategy headerFilterStrategy;
    /**
     * Adds each message's key to the idempotent repository before its round is fetched (a reservation), confirms
     * it when the exchange succeeded and removes it when it failed, as Camel's file consumer does. Needed when
     * several nodes consume one mailbox with a shared repository: the node whose add succeeds routes the message,
     * the others skip it. Off: the key is added after success (one node).
     */
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean idempotentEager;
    /**
     * With idempotentEager=true over IMAP: removes a message's key from the idempotentRepository once the server
     * answered the UID EXPUNGE or UID MOVE that took it out of the folder (delete=true, moveTo), so the repository
     * does not keep a key per message ever routed (camel-sql's orphan-lock repository refreshes every key it holds).
     * Never before the server's answer, and one poll later (the rest when the consumer stops): another node that
     * listed the folder before the expunge would otherwise reserve the freed key and find the message gone. A UID is
     * never given again (RFC 3501 §2.3.1.1), so the key has nothing left to guard. Off: keys stay, as with Camel's readLockRemoveOnCommit; a repository used as the record of what was
     * processed keeps its rows.
     */
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean idempotentRemoveOnCommit;
    /**
     * IMAP push delivery (IDLE, RFC 2177): between polls the consumer waits in IDLE on its connection, and a poll
     * runs as soon as the server announces new mail; the scheduled polls (delay) go on as a safety net. A server
     * that does not offer or refuses IDLE is polled on the schedule (logged once). Off by default, so delay,
     * repeatCount and sendEmptyMessageWhenIdle count polls as in camel-mail. POP3 has no push and refuses it.
     */
    @UriParam(label = "consumer", defaultValue = "false")
    private boolean idle;
    /**
     * How long one IDLE lasts before the consumer ends it (DONE) and issues it again: under the server's own
     * inactivity timeout (RFC 2177 asks for at most 29 minutes), and how soon a connection that died silently (a NAT
     * dropping it) is noticed: the server must answer DONE within readTimeout. Lower it behind NATs. Milliseconds,
     * or a duration such as 29m.
     */
    @UriParam(label = "consumer,advanced", defaultValue = "1740000", javaType = "java.time.Duration")
    private long idleRenewInterval = 1_740_000;

    public CatalystMailConfiguration copy() {
        try {
            return (CatalystMailConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    // ---- accessors

    public MailProtocol getProtocol() {
        return protocol;
    }

    public void setProtocol(MailProtocol protocol) {
        this.protocol = protocol;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    public void setPort(int port) {
        this.port = port;
    }

    public boolean isSecure() {
        return secure;
    }

    public void setSecure(boolean secure) {
        this.secure = secure;
    }

    public StartTlsMode getStartTls() {
        return startTls;
    }

    public void setStartTls(StartTlsMode startTls) {
        this.startTls = startTls;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public boolean isVerifyHostname() {
        return verifyHostname;
    }

    public void setVerifyHostname(boolean verifyHostname) {
        this.verifyHostname = verifyHostname;
    }

    public boolean isAllowInsecureAuth() {
        return allowInsecureAuth;
    }

    public void setAllowInsecureAuth(boolean allowInsecureAuth) {
        this.allowInsecureAuth = allowInsecureAuth;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public String getAuthMechanism() {
        return authMechanism;
    }

    public void setAuthMechanism(String authMechanism) {
        this.authMechanism = authMechanism;
    }

    public AuthNotOffered getAuthNotOffered() {
        return authNotOffered;
    }

    public void setAuthNotOffered(AuthNotOffered authNotOffered) {
        this.authNotOffered = authNotOffered;
    }

    public String getAccessToken() {
        return accessToken;
    }

    public void setAccessToken(String accessToken) {
        this.accessToken = accessToken;
    }

    public AccessTokenSupplier getAccessTokenSupplier() {
        return accessTokenSupplier;
    }

    public void setAccessTokenSupplier(AccessTokenSupplier accessTokenSupplier) {
        this.accessTokenSupplier = accessTokenSupplier;
    }

    public long getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public long getReadTimeout() {
        return readTimeout;
    }

    public void setReadTimeout(long readTimeout) {
        this.readTimeout = readTimeout;
    }

    public long getLoginTimeout() {
        return loginTimeout;
    }

    public void setLoginTimeout(long loginTimeout) {
        this.loginTimeout = loginTimeout;
    }

    public long getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(long sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public long getFetchTimeout() {
        return fetchTimeout;
    }

    public void setFetchTimeout(long fetchTimeout) {
        this.fetchTimeout = fetchTimeout;
    }

    public long getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(long maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public int getMaxListedMessages() {
        return maxListedMessages;
    }

    public void setMaxListedMessages(int maxListedMessages) {
        this.maxListedMessages = maxListedMessages;
    }

    public int getTextBodyStreamThreshold() {
        return textBodyStreamThreshold;
    }

    public void setTextBodyStreamThreshold(int textBodyStreamThreshold) {
        this.textBodyStreamThreshold = textBodyStreamThreshold;
    }

    public boolean isRaw() {
        return raw;
    }

    public void setRaw(boolean raw) {
        this.raw = raw;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getEnvelopeFrom() {
        return envelopeFrom;
    }

    public void setEnvelopeFrom(String envelopeFrom) {
        this.envelopeFrom = envelopeFrom;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }

    public String getCc() {
        return cc;
    }

    public void setCc(String cc) {
        this.cc = cc;
    }

    public String getBcc() {
        return bcc;
    }

    public void setBcc(String bcc) {
        this.bcc = bcc;
    }

    public String getReplyTo() {
        return replyTo;
    }

    public void setReplyTo(String replyTo) {
        this.replyTo = replyTo;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public boolean isAllowPlainHeaders() {
        return allowPlainHeaders;
    }

    public void setAllowPlainHeaders(boolean allowPlainHeaders) {
        this.allowPlainHeaders = allowPlainHeaders;
    }

    public String getLocalHostName() {
        return localHostName;
    }

    public void setLocalHostName(String localHostName) {
        this.localHostName = localHostName;
    }

    public String getDsnNotify() {
        return dsnNotify;
    }

    public void setDsnNotify(String dsnNotify) {
        this.dsnNotify = dsnNotify;
    }

    public String getDsnReturn() {
        return dsnReturn;
    }

    public void setDsnReturn(String dsnReturn) {
        this.dsnReturn = dsnReturn;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public long getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(long idleTimeout) {
        this.idleTimeout = idleTimeout;
    }

    public String getFolder() {
        return folder;
    }

    public void setFolder(String folder) {
        this.folder = folder;
    }

    public boolean isIdle() {
        return idle;
    }

    public void setIdle(boolean idle) {
        this.idle = idle;
    }

    public long getIdleRenewInterval() {
        return idleRenewInterval;
    }

    public void setIdleRenewInterval(long idleRenewInterval) {
        this.idleRenewInterval = idleRenewInterval;
    }

    public boolean isUnseen() {
        return unseen;
    }

    public void setUnseen(boolean unseen) {
        this.unseen = unseen;
    }

    public String getSearch() {
        return search;
    }

    public void setSearch(String search) {
        this.search = search;
    }

    public String getSearchFrom() {
        return searchFrom;
    }

    public void setSearchFrom(String searchFrom) {
        this.searchFrom = searchFrom;
    }

    public String getSearchTo() {
        return searchTo;
    }

    public void setSearchTo(String searchTo) {
        this.searchTo = searchTo;
    }

    public String getSearchSubject() {
        return searchSubject;
    }

    public void setSearchSubject(String searchSubject) {
        this.searchSubject = searchSubject;
    }

    public String getSearchBody() {
        return searchBody;
    }

    public void setSearchBody(String searchBody) {
        this.searchBody = searchBody;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    public String getBefore() {
        return before;
    }

    public void setBefore(String before) {
        this.before = before;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getFetchRoundSize() {
        return fetchRoundSize;
    }

    public void setFetchRoundSize(int fetchRoundSize) {
        this.fetchRoundSize = fetchRoundSize;
    }

    public boolean isAutoCreateFolders() {
        return autoCreateFolders;
    }

    public void setAutoCreateFolders(boolean autoCreateFolders) {
        this.autoCreateFolders = autoCreateFolders;
    }

    public int getAfterProcessingAttempts() {
        return afterProcessingAttempts;
    }

    public void setAfterProcessingAttempts(int afterProcessingAttempts) {
        this.afterProcessingAttempts = afterProcessingAttempts;
    }

    public IdempotentKey getIdempotentKey() {
        return idempotentKey;
    }

    public void setIdempotentKey(IdempotentKey idempotentKey) {
        this.idempotentKey = idempotentKey;
    }

    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return headerFilterStrategy;
    }

    public void setHeaderFilterStrategy(HeaderFilterStrategy headerFilterStrategy) {
        this.headerFilterStrategy = headerFilterStrategy;
    }

    /** The per-poll cap of maxMessagesPerPoll and fetchSize together: the smaller positive one, 0 for none. */
    public int effectiveMessagesPerPoll() {
        int a = Math.max(0, maxMessagesPerPoll);
        int b = Math.max(0, fetchSize);
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    public int getFetchSize() {
        return fetchSize;
    }

    public void setFetchSize(int fetchSize) {
        this.fetchSize = fetchSize;
    }

    public boolean isDelete() {
        return delete;
    }

    public void setDelete(boolean delete) {
        this.delete = delete;
    }

    public String getFetchAs() {
        return fetchAs;
    }

    public void setFetchAs(String fetchAs) {
        this.fetchAs = fetchAs;
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getDestination() {
        return destination;
    }

    public void setDestination(String destination) {
        this.destination = destination;
    }

    public String getFlags() {
        return flags;
    }

    public void setFlags(String flags) {
        this.flags = flags;
    }

    public String getStoreMode() {
        return storeMode;
    }

    public void setStoreMode(String storeMode) {
        this.storeMode = storeMode;
    }

    public String getMoveTo() {
        return moveTo;
    }

    public void setMoveTo(String moveTo) {
        this.moveTo = moveTo;
    }

    public String getCopyTo() {
        return copyTo;
    }

    public void setCopyTo(String copyTo) {
        this.copyTo = copyTo;
    }

    public boolean isMarkSeen() {
        return markSeen;
    }

    public void setMarkSeen(boolean markSeen) {
        this.markSeen = markSeen;
    }

    public String getMoveFailedTo() {
        return moveFailedTo;
    }

    public void setMoveFailedTo(String moveFailedTo) {
        this.moveFailedTo = moveFailedTo;
    }

    public MessageOrder getSortOrder() {
        return sortOrder;
    }

    public void setSortOrder(MessageOrder sortOrder) {
        this.sortOrder = sortOrder;
    }

    public LoggingLevel getPollSummaryLoggingLevel() {
        return pollSummaryLoggingLevel;
    }

    public void setPollSummaryLoggingLevel(LoggingLevel pollSummaryLoggingLevel) {
        this.pollSummaryLoggingLevel = pollSummaryLoggingLevel;
    }

    public boolean isPreferHtml() {
        return preferHtml;
    }

    public void setPreferHtml(boolean preferHtml) {
        this.preferHtml = preferHtml;
    }

    public int getBodyStorageThreshold() {
        return bodyStorageThreshold;
    }

    public void setBodyStorageThreshold(int bodyStorageThreshold) {
        this.bodyStorageThreshold = bodyStorageThreshold;
    }

    public int getMaxHeaderLineLength() {
        return maxHeaderLineLength;
    }

    public void setMaxHeaderLineLength(int maxHeaderLineLength) {
        this.maxHeaderLineLength = maxHeaderLineLength;
    }

    public int getMaxHeaderCount() {
        return maxHeaderCount;
    }

    public void setMaxHeaderCount(int maxHeaderCount) {
        this.maxHeaderCount = maxHeaderCount;
    }

    public int getMaxNestingDepth() {
        return maxNestingDepth;
    }

    public void setMaxNestingDepth(int maxNestingDepth) {
        this.maxNestingDepth = maxNestingDepth;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public boolean isIdempotentEager() {
        return idempotentEager;
    }

    public void setIdempotentEager(boolean idempotentEager) {
        this.idempotentEager = idempotentEager;
    }

    public boolean isIdempotentRemoveOnCommit() {
        return idempotentRemoveOnCommit;
    }

    public void setIdempotentRemoveOnCommit(boolean idempotentRemoveOnCommit) {
        this.idempotentRemoveOnCommit = idempotentRemoveOnCommit;
    }
}
