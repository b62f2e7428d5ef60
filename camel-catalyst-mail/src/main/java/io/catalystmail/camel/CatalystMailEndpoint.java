package io.catalystmail.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

import io.catalystmail.camel.auth.AccountTag;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.auth.FixedAccessToken;
import io.catalystmail.camel.auth.SaslMechanisms;
import io.catalystmail.camel.imap.ImapMailboxSession;
import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.metrics.MeterBinding;
import io.catalystmail.camel.metrics.SubmissionStatistics;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.pop3.Pop3MailboxSession;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.net.StartTlsMode;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategyAware;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.ScheduledPollEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receive mail over IMAP or POP3 and send mail over SMTP, built on Apache Commons Net and Apache James Mime4j.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "catalystmail", title = "Catalyst Mail",
             syntax = "catalystmail:protocol:host:port", category = { Category.MAIL },
             headersClass = CatalystMailConstants.class)
public class CatalystMailEndpoint extends ScheduledPollEndpoint implements HeaderFilterStrategyAware {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailEndpoint.class);

    /** A mail server is polled once a minute unless the user says otherwise, as camel-mail does. */
    static final long DEFAULT_DELAY = 60_000;

    /** Declared here so the catalog shows the real default and type (the base class declares 500 ms). */
    @UriParam(defaultValue = "" + DEFAULT_DELAY, javaType = "java.time.Duration", label = "consumer,scheduler",
              description = "How long to wait before the next poll: milliseconds, or a duration such as 60s.")
    private long delay = DEFAULT_DELAY;

    @UriParam
    private CatalystMailConfiguration configuration;
    /** Figures per endpoint (JMX, Micrometer, dev console), kept across consumer and producer restarts. */
    private MailboxStatistics mailboxStatistics;
    private SubmissionStatistics submissionStatistics;
    /**
     * Routed messages whose keys the idempotent repository did not take yet: kept across the consumer's restarts, as
     * Camel creates a route's consumer anew at each start ({@link UnrecordedKeys}).
     */
    private final UnrecordedKeys unrecordedKeys = new UnrecordedKeys();
    /**
     * What the consumers that stopped still owed ({@link UnfinishedActions}), for the next one to start: without an
     * idempotent repository nothing else remembers a message routed before a stop whose action the stop cut, and the
     * restarted consumer routed it again.
     */
    private UnfinishedActions stoppedConsumersActions;
    /**
     * The POP3 consumer's memory of the UIDLs it routed when no idempotentRepository is configured ({@link SeenUidls}):
     * kept here, not by the consumer, so that a route stopped and started (a new consumer) does not route the mail it
     * left on the server once more; a JVM restart forgets it.
     */
    private SeenUidls seenUidls;

    public CatalystMailEndpoint(String uri, CatalystMailComponent component, CatalystMailConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
        setDelay(DEFAULT_DELAY);
    }

    @Override
    public Producer createProducer() throws Exception {
        return switch (getProtocol().kind()) {
            case SMTP -> new CatalystMailProducer(this);
            // mailbox operations (APPEND, folders, flags...): their own producers, beside the SMTP one
            case IMAP -> new io.catalystmail.camel.operations.ImapOperationsProducer(this);
            case POP3 -> new io.catalystmail.camel.operations.Pop3OperationsProducer(this);
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        if (getProtocol().kind() == MailProtocol.Kind.SMTP) {
            throw new IllegalArgumentException("catalystmail:" + getProtocol().scheme()
                    + " sends mail and cannot be used in from(); use imap, imaps, pop3 or pop3s to receive");
        }
        String folder = configuration.getFolder();
        if (getProtocol().kind() == MailProtocol.Kind.IMAP && folder != null && folder.indexOf(',') >= 0) {
            // UIDVALIDITY, UIDs, idempotency keys, after-processing and the poll's figures all belong to one folder
            throw new IllegalArgumentException("folder=" + folder + ": a consumer reads one folder; use one from() per"
                    + " folder (they can share the rest of the route through a direct: endpoint). A folder whose name"
                    + " contains a comma can't be polled.");
        }
        CatalystMailConsumer consumer = new CatalystMailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Rejects contradictory settings when the endpoint is created, before anything connects.
     *
     * @param ownOptions the option names the endpoint URI sets, lower case. A component-wide startTls=REQUIRED (a
     *                   Spring Boot property, say) is meant for the plain-text endpoints, and one that speaks TLS from
     *                   the first byte already meets it, so only an imaps (or secure=true) URI that asks for STARTTLS
     *                   itself contradicts itself. Likewise an accessTokenSupplier the component holds (Camel autowires
     *                   the registry's one) is for the endpoints that log in; one without a username (a relay that
     *                   takes mail without AUTH) does not use it, and only a supplier named in its own URI is an error
     */
    void validateConfiguration(Set<String> ownOptions) {
        CatalystMailConfiguration c = configuration;
        boolean ownStartTls = ownOptions.contains("starttls");
        if (c.getPort() < 0 || c.getPort() > 65535) {
            throw new IllegalArgumentException("Port " + c.getPort() + " is out of range");
        }
        if (ownStartTls && implicitTls() && c.getStartTls() == StartTlsMode.REQUIRED) {
            throw new IllegalArgumentException("startTls=REQUIRED contradicts implicit TLS (secure=true or "
                    + getProtocol().scheme() + "): choose one");
        }
        if (getProtocol() == MailProtocol.SUBMISSION && !implicitTls() && c.getStartTls() == StartTlsMode.DISABLED) {
            throw new IllegalArgumentException("submission requires STARTTLS (RFC 6409); use smtp to send without it");
        }
        if (c.getAuthMechanism() != null && SaslMechanisms.takesToken(c.getAuthMechanism())
                && c.getAccessToken() == null && c.getAccessTokenSupplier() == null) {
            String mechanism = c.getAuthMechanism().toUpperCase(java.util.Locale.ROOT);
            throw new IllegalArgumentException("authMechanism=" + mechanism
                    + " needs accessToken or accessTokenSupplier");
        }
        if (c.getUsername() == null || c.getUsername().isEmpty()) {
            rejectLoginWithoutUsername(ownOptions.contains("accesstokensupplier"));
        }
        if (c.getFetchRoundSize() <= 0) {
            throw new IllegalArgumentException("fetchRoundSize must be at least 1, was " + c.getFetchRoundSize());
        }
        if (c.getAfterProcessingAttempts() <= 0) {
            throw new IllegalArgumentException("afterProcessingAttempts must be at least 1, was "
                                               + c.getAfterProcessingAttempts());
        }
        if (c.getMaxConnections() <= 0) {
            throw new IllegalArgumentException("maxConnections must be at least 1, was " + c.getMaxConnections());
        }
        if (c.getMaxMessagesPerPoll() < 0) {
            throw new IllegalArgumentException("maxMessagesPerPoll must not be negative");
        }
        if (c.getFetchSize() == 0) {
            // camel-mail skips every poll at 0; read as 'no limit', a moved route would consume the whole folder
            throw new IllegalArgumentException("fetchSize=0 makes camel-mail skip every poll, which this component does"
                    + " not offer: use fetchSize=-1 for no limit or a positive cap, or stop the route to consume"
                    + " nothing");
        }
        if (c.getConnectTimeout() <= 0 || c.getReadTimeout() <= 0) {
            throw new IllegalArgumentException("connectTimeout and readTimeout must be positive: no network call may"
                    + " wait forever");
        }
        // deadlines, not socket timeouts: 0 would not mean "wait for ever", as Jakarta Mail reads it, but fail every
        // login, send or operation after 1 ms
        requirePositive("loginTimeout", c.getLoginTimeout());
        // only the one this kind of endpoint uses (connectionSettings): an SMTP endpoint never fetches, an IMAP or POP3
        // one (consumer or operations producer) never sends, and a 0 there, from a shared configuration, does nothing
        if (getProtocol().kind() == MailProtocol.Kind.SMTP) {
            requirePositive("sendTimeout", c.getSendTimeout());
        } else {
            requirePositive("fetchTimeout", c.getFetchTimeout());
        }
        if (tokenSetAsidForPassword()) {
            LOG.info("{}: a password and an OAuth2 token (accessToken, or an accessTokenSupplier, which Camel autowires"
                     + " when the registry holds one) both apply; the password is used. Set authMechanism=XOAUTH2 or"
                     + " OAUTHBEARER to log in with the token", getEndpointUri());
        }
    }

    private static void requirePositive(String option, long millis) {
        if (millis <= 0) {
            throw new IllegalArgumentException(option + " must be positive, was " + millis + ": it is the deadline of"
                    + " a whole operation, and no operation may wait for ever");
        }
    }

    /** Credentials or a token mechanism set for an endpoint without a username: it could never log in. */
    private void rejectLoginWithoutUsername(boolean ownTokenSupplier) {
        CatalystMailConfiguration c = configuration;
        List<String> set = new ArrayList<>();
        // blank like the username: a placeholder with an empty default (password: ${MAIL_PASSWORD:}) sets nothing
        if (c.getPassword() != null && !c.getPassword().isEmpty()) {
            set.add("password");
        }
        if (c.getAccessToken() != null && !c.getAccessToken().isEmpty()) {
            set.add("accessToken");
        }
        if (ownTokenSupplier && c.getAccessTokenSupplier() != null) {
            set.add("accessTokenSupplier");
        }
        if (c.getAuthMechanism() != null && SaslMechanisms.takesToken(c.getAuthMechanism())) {
            set.add("authMechanism=" + c.getAuthMechanism());
        }
        if (!set.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", set)
                    + " set, but no username: set username to log in");
        }
    }

    public MailProtocol getProtocol() {
        return configuration.getProtocol();
    }

    /** True when the connection uses TLS from its first byte. */
    public boolean implicitTls() {
        return configuration.isSecure() || getProtocol().implicitTls();
    }

    /** The port to connect to: the configured one, or the protocol's standard port when 0. */
    public int effectivePort() {
        if (configuration.getPort() > 0) {
            return configuration.getPort();
        }
        return getProtocol().standardPort(implicitTls());
    }

    /** Connection settings for the protocol layer, with the TLS context built from sslContextParameters. */
    public ConnectionSettings connectionSettings() throws Exception {
        SSLContext ssl = null;
        if (configuration.getSslContextParameters() != null) {
            ssl = configuration.getSslContextParameters().createSSLContext(getCamelContext());
        }
        StartTlsMode startTls = configuration.getStartTls();
        if (getProtocol() == MailProtocol.SUBMISSION && !implicitTls()) {
            startTls = StartTlsMode.REQUIRED;
        }
        if (implicitTls()) {
            startTls = StartTlsMode.DISABLED;
        }
        return new ConnectionSettings(configuration.getHost(), effectivePort(), implicitTls(), startTls, ssl,
                configuration.isVerifyHostname(), Duration.ofMillis(configuration.getConnectTimeout()),
                Duration.ofMillis(configuration.getReadTimeout()), configuration.isAllowInsecureAuth(),
                Duration.ofMillis(configuration.getLoginTimeout()),
                Duration.ofMillis(getProtocol().kind() == MailProtocol.Kind.SMTP ? configuration.getSendTimeout()
                        : configuration.getFetchTimeout()));
    }

    /**
     * Credentials for the protocol layer; a supplier bean wins over a fixed access token, and a password wins over
     * both unless {@code authMechanism} names a token mechanism (see {@link #tokenSetAsidForPassword()}).
     */
    public Credentials credentials() {
        CatalystMailConfiguration c = configuration;
        if (c.getUsername() == null || c.getUsername().isEmpty()) {
            return Credentials.NONE;
        }
        io.catalystmail.camel.auth.AccessTokenSupplier tokens = c.getAccessTokenSupplier();
        if (tokens == null && c.getAccessToken() != null) {
            tokens = new FixedAccessToken(c.getAccessToken());
        }
        if (tokenSetAsidForPassword()) {
            tokens = null;
        }
        return new Credentials(c.getUsername(), c.getPassword(), tokens, c.getAuthMechanism());
    }

    /**
     * True when both a password and a token apply and the password is used. Camel autowires the one
     * {@code AccessTokenSupplier} bean of a registry into the component, and so into every endpoint: without this
     * rule an endpoint that was given a password would log in with another account's OAuth2 token whenever the
     * server offers XOAUTH2. Naming {@code authMechanism=XOAUTH2} (or OAUTHBEARER) chooses the token instead.
     */
    boolean tokenSetAsidForPassword() {
        CatalystMailConfiguration c = configuration;
        boolean token = c.getAccessTokenSupplier() != null || c.getAccessToken() != null;
        boolean tokenNamed = c.getAuthMechanism() != null && SaslMechanisms.takesToken(c.getAuthMechanism());
        return token && c.getPassword() != null && !tokenNamed;
    }

    /** A new, unopened session on the mailbox this endpoint polls, with settings the consumer built at start. */
    MailboxSession createMailboxSession(ConnectionSettings settings, Credentials credentials) {
        return switch (getProtocol().kind()) {
            case IMAP -> new ImapMailboxSession(settings, credentials, configuration.getFolder(),
                    java.time.Clock.systemUTC(), mailboxLimits());
            case POP3 -> new Pop3MailboxSession(settings, credentials, mailboxLimits());
            case SMTP -> throw new IllegalStateException("SMTP has no mailbox to poll");
        };
    }

    private MailboxLimits mailboxLimits() {
        return new MailboxLimits(configuration.getMaxListedMessages(), configuration.getMaxMessageSize());
    }

    /** The POP3 consumer's own UIDL memory, made at its first start and kept by the endpoint across restarts. */
    synchronized SeenUidls seenUidls() {
        if (seenUidls == null) {
            seenUidls = new SeenUidls(configuration.getIdempotentKey() == IdempotentKey.LOCATION);
        }
        return seenUidls;
    }

    /**
     * A stopping consumer hands over the actions it still owes and the messages it gave up; a second one stopping
     * before either started again (two routes consuming one identical URI) adds its own, not replaces the first's.
     */
    synchronized void keepUnfinishedActions(UnfinishedActions owed) {
        if (stoppedConsumersActions == null || stoppedConsumersActions == owed) {
            stoppedConsumersActions = owed;
        } else {
            stoppedConsumersActions.takeOver(owed);
        }
    }

    /** What the last consumer to stop handed over, taken once; null when none did. */
    synchronized UnfinishedActions takeUnfinishedActions() {
        UnfinishedActions owed = stoppedConsumersActions;
        stoppedConsumersActions = null;
        return owed;
    }

    /** What this endpoint's consumer counted; the mailbox is named without user or secrets. */
    UnrecordedKeys unrecordedKeys() {
        return unrecordedKeys;
    }

    public synchronized MailboxStatistics mailboxStatistics() {
        if (mailboxStatistics == null) {
            String folder = getProtocol().kind() == MailProtocol.Kind.IMAP ? "/" + configuration.getFolder() : "";
            mailboxStatistics = new MailboxStatistics(serverName() + folder);
        }
        return mailboxStatistics;
    }

    /** What this endpoint's producers counted. */
    public synchronized SubmissionStatistics submissionStatistics() {
        if (submissionStatistics == null) {
            submissionStatistics = new SubmissionStatistics(serverName());
        }
        return submissionStatistics;
    }

    /** Publishes the consumer's figures as meters, summed with those of the user's other endpoints of its folder. */
    public MeterBinding.Unbind bindMailboxMeters() {
        return ((CatalystMailComponent) getComponent()).sharedMeters().mailbox(getCamelContext(), mailboxStatistics(),
                AccountTag.of(configuration.getUsername()));
    }

    /** Publishes the producers' figures as meters, summed with those of the user's other endpoints of its server. */
    public MeterBinding.Unbind bindSubmissionMeters() {
        return ((CatalystMailComponent) getComponent()).sharedMeters().submission(getCamelContext(),
                submissionStatistics(), AccountTag.of(configuration.getUsername()));
    }

    /** {@code imaps://host:993}: the server as the figures and health checks name it. */
    public String serverName() {
        String host = configuration.getHost();
        return getProtocol().scheme() + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
               + effectivePort();
    }

    /**
     * Camel compares endpoints by URI (producer pools are keyed by endpoint), and the URI of this endpoint leaves
     * out password, accessToken and username: endpoints that differ only in them must still be told apart.
     */
    @Override
    public boolean equals(Object object) {
        return super.equals(object) && object instanceof CatalystMailEndpoint other
                && Objects.equals(configuration.getUsername(), other.configuration.getUsername())
                && Objects.equals(configuration.getPassword(), other.configuration.getPassword())
                && Objects.equals(configuration.getAccessToken(), other.configuration.getAccessToken());
    }

    @Override
    public int hashCode() {
        // equal endpoints have equal URIs, so the URI-based hash stays consistent with equals
        return super.hashCode();
    }

    @Override
    public void setDelay(long delay) {
        super.setDelay(delay);
        this.delay = delay;
    }

    @Override
    public HeaderFilterStrategy getHeaderFilterStrategy() {
        return configuration.getHeaderFilterStrategy();
    }

    @Override
    public void setHeaderFilterStrategy(HeaderFilterStrategy strategy) {
        configuration.setHeaderFilterStrategy(strategy);
    }

    public CatalystMailConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(CatalystMailConfiguration configuration) {
        this.configuration = configuration;
    }
}
