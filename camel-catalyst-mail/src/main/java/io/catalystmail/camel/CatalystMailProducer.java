package io.catalystmail.camel;

import java.io.IOException;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.regex.Pattern;

import io.catalystmail.camel.auth.AuthenticationException;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.metrics.ManagedSubmissionFigures;
import io.catalystmail.camel.metrics.MeterBinding;
import io.catalystmail.camel.metrics.SubmissionStatistics;
import io.catalystmail.camel.mime.MessageComposer;
import io.catalystmail.camel.mime.OutgoingMail;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pool.ConnectionPool;
import io.catalystmail.camel.smtp.SmtpException;
import io.catalystmail.camel.smtp.SmtpRejectedException;
import io.catalystmail.camel.smtp.SmtpReply;
import io.catalystmail.camel.smtp.SmtpSession;
import io.catalystmail.camel.smtp.SmtpUncertainDeliveryException;
import io.catalystmail.camel.smtp.SubmissionResult;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each exchange as one mail over SMTP, on sessions kept open between exchanges. The exchange's message
 * is composed (and every problem with it reported) before a session is borrowed; afterwards it carries the
 * Message-ID and the accepted and rejected recipients. Its figures ({@link SubmissionStatistics}) are JMX attributes
 * of its MBean; with {@code healthCheckProducerEnabled} it registers an {@link SmtpLoginHealthCheck}.
 */
@ManagedResource(description = "Managed Catalyst Mail producer")
public class CatalystMailProducer extends CallerThreadProducer implements ManagedSubmissionFigures {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailProducer.class);
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?");
    /** Failures at these commands happen before any message data is written, so a retry cannot duplicate mail. */
    private static final Set<String> BEFORE_DATA = Set.of("RSET", "MAIL FROM", "RCPT TO");
    /** Health check ids must be unique; the endpoint URI is not used, as it names the user. */
    private static final AtomicInteger HEALTH_CHECK_IDS = new AtomicInteger();

    private final CatalystMailEndpoint endpoint;
    private MessageComposer composer;
    private ConnectionPool<SmtpSession> sessions;
    private IdleConnectionSweeper sweeper;
    private final SubmissionStatistics statistics;
    private MeterBinding.Unbind meters = () -> { };
    /** This producer's pool as the endpoint's statistics count it (one object, so it can be removed again). */
    private final IntSupplier idleCount = this::idleSessions;
    private WritableHealthCheckRepository healthChecks;
    private SmtpLoginHealthCheck healthCheck;

    public CatalystMailProducer(CatalystMailEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.statistics = endpoint.submissionStatistics();
    }

    @Override
    public SubmissionStatistics statistics() {
        return statistics;
    }

    @Override
    public int idleSessions() {
        return sessions == null ? 0 : sessions.idleCount();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        CatalystMailConfiguration c = endpoint.getConfiguration();
        composer = new MessageComposer(c, messageIdDomain(c.getLocalHostName()));
        // the TLS context is built once; a token supplier in the credentials is still asked at each login
        ConnectionSettings settings = endpoint.connectionSettings();
        Credentials credentials = endpoint.credentials();
        SmtpLoginHealthCheck.SessionOpener opener = () -> openCounted(settings, credentials, c);
        sessions = new ConnectionPool<>(new SmtpConnections(opener), new ConnectionPool.Limits(c.getIdleTimeout(),
                c.getMaxConnections(), c.getConnectTimeout(), endpoint.serverName()));
        meters = endpoint.bindSubmissionMeters();
        statistics.addPool(idleCount);
        registerHealthCheck(opener);
        sweeper = IdleConnectionSweeper.start(endpoint.getCamelContext(), this, "CatalystMailIdleSessions",
                c.getIdleTimeout(), sessions::closeExpired);
    }

    private SmtpSession openCounted(ConnectionSettings settings, Credentials credentials, CatalystMailConfiguration c)
            throws IOException {
        try {
            SmtpSession session = SmtpSession.open(settings, credentials, c.getLocalHostName(), c.getAuthNotOffered());
            statistics.sessionOpened(session.capabilities().keywords());
            return session;
        } catch (AuthenticationException e) {
            statistics.loginFailed();
            throw e;
        }
    }

    /** As Camel's own producers do: into the "producers" repository, enabled by the component's option. */
    private void registerHealthCheck(SmtpLoginHealthCheck.SessionOpener opener) {
        healthChecks = HealthCheckHelper.getHealthCheckRepository(endpoint.getCamelContext(), "producers",
                WritableHealthCheckRepository.class);
        if (healthChecks != null) {
            healthCheck = new SmtpLoginHealthCheck(endpoint.serverName() + "-" + HEALTH_CHECK_IDS.incrementAndGet(),
                    endpoint.serverName(), opener,
                    SmtpLoginHealthCheck.MIN_INTERVAL_MILLIS);
            healthCheck.setEnabled(((CatalystMailComponent) endpoint.getComponent()).isHealthCheckProducerEnabled());
            healthChecks.addHealthCheck(healthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (healthChecks != null && healthCheck != null) {
            healthChecks.removeHealthCheck(healthCheck);
            healthCheck = null;
        }
        meters.unbind();
        statistics.removePool(idleCount);
        if (sweeper != null) {
            sweeper.stop();
            sweeper = null;
        }
        if (sessions != null) {
            sessions.close();
        }
        super.doStop();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        OutgoingMail mail = composer.compose(message);
        if (mail.messageId() != null) {
            message.setHeader(CatalystMailConstants.MESSAGE_ID, mail.messageId());
        }
        try {
            SubmissionResult result = submit(mail);
            message.setHeader(CatalystMailConstants.ACCEPTED_RECIPIENTS, result.acceptedRecipients());
            if (!result.rejectedRecipients().isEmpty()) {
                message.setHeader(CatalystMailConstants.REJECTED_RECIPIENTS, replies(result.rejectedRecipients()));
            }
            statistics.sent(result.rejectedRecipients().size());
            LOG.debug("Sent {} to {} recipient(s): {}", mail.messageId(), result.acceptedRecipients().size(),
                    result.finalReply());
        } catch (SmtpRejectedException e) {
            statistics.refused(e.rejectedRecipients().size());
            if (!e.rejectedRecipients().isEmpty()) {
                message.setHeader(CatalystMailConstants.REJECTED_RECIPIENTS, replies(e.rejectedRecipients()));
            }
            throw e;
        } catch (SmtpUncertainDeliveryException e) {
            statistics.uncertain();
            throw e;
        } catch (IOException | RuntimeException e) {
            statistics.failed();
            throw e;
        }
    }

    /**
     * Sends on a borrowed session. A reused session that fails before any message data was written was stale
     * (the server dropped it while idle): the mail is sent once more on a new connection. Never after the data
     * went out: the server may have accepted it, and a second attempt could deliver it twice.
     */
    private SubmissionResult submit(OutgoingMail mail) throws IOException {
        ConnectionPool.Lease<SmtpSession> lease = sessions.borrow();
        try {
            return sendOn(lease, mail);
        } catch (IOException e) {
            if (!lease.reused() || !failedBeforeData(e)) {
                throw e;
            }
            LOG.debug("Reused SMTP session failed before data ({}); retrying on a new connection", e.getMessage());
            return sendOn(sessions.borrowNew(), mail);
        }
    }

    private SubmissionResult sendOn(ConnectionPool.Lease<SmtpSession> lease, OutgoingMail mail) throws IOException {
        SmtpSession session = lease.connection();
        try {
            SubmissionResult result = session.send(mail.envelope(), mail.content());
            sessions.giveBack(session);
            return result;
        } catch (SmtpRejectedException e) {
            // the server refused, but the session is in step and reset: it stays usable
            sessions.giveBack(session);
            throw e;
        } catch (IOException | RuntimeException | Error e) {
            // an Error too: the session's slot in the pool must come free
            sessions.discard(session);
            throw e;
        }
    }

    private static boolean failedBeforeData(IOException e) {
        if (e instanceof SmtpUncertainDeliveryException || e instanceof SmtpRejectedException) {
            return false;
        }
        if (e instanceof SmtpException smtp) {
            return BEFORE_DATA.contains(smtp.command());
        }
        // a plain I/O failure comes from writing MAIL, RCPT or DATA; content failures are wrapped as SmtpException
        return true;
    }

    private static Map<String, String> replies(Map<String, SmtpReply> rejected) {
        Map<String, String> result = new LinkedHashMap<>();
        rejected.forEach((recipient, reply) -> result.put(recipient, reply.toString()));
        return result;
    }

    /** The right-hand side of generated Message-IDs: the configured EHLO name, else this host's name. */
    public static String messageIdDomain(String configured) {
        if (configured != null && HOST_NAME.matcher(configured).matches()) {
            return configured;
        }
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            if (HOST_NAME.matcher(name).matches()) {
                return name;
            }
        } catch (IOException e) {
            LOG.debug("No local host name for Message-IDs: {}", e.toString());
        }
        return "localhost";
    }
}
