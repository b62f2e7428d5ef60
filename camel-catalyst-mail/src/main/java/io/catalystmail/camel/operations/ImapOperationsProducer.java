package io.catalystmail.camel.operations;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.CatalystMailProducer;
import io.catalystmail.camel.IdleConnectionSweeper;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.imap.ImapCommandException;
import io.catalystmail.camel.mime.MessageComposer;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MimeLimits;
import io.catalystmail.camel.net.ConnectionSettings;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code to("catalystmail:imap:host?operation=...")}: one IMAP operation per exchange (the operation option, or the
 * CamelCatalystMailOperation header), on logged-in connections kept between exchanges ({@link IdleSessionPool}) and
 * shared with the other endpoints of the same login ({@link ImapOperationPools}).
 * The request is checked and an appended message composed and spooled before a connection is borrowed, so bad
 * input sends nothing. A refusal (NO, BAD) fails the exchange with a {@link MailboxOperationException} naming
 * operation, folder and the server's text, and the connection is lent again; any other failure closes it.
 */
public class ImapOperationsProducer extends DefaultProducer {

    private final CatalystMailEndpoint endpoint;
    private IdleSessionPool<ImapOperationSession> sessions;
    private IdleConnectionSweeper sweeper;
    private ImapOperationRunner runner;
    private MessageComposer composer;
    private Duration operationTimeout;

    public ImapOperationsProducer(CatalystMailEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        CatalystMailConfiguration c = endpoint.getConfiguration();
        if (c.getOperation() != null) {
            MailboxOperation.of(c.getOperation(), true, "option operation"); // a typo fails at start, not per exchange
        }
        ConnectionSettings settings = endpoint.connectionSettings();
        Credentials credentials = endpoint.credentials();
        operationTimeout = Duration.ofMillis(c.getFetchTimeout());
        composer = new MessageComposer(c, CatalystMailProducer.messageIdDomain(c.getLocalHostName()));
        int maxFetched = c.getMaxMessagesPerPoll() > 0 ? c.getMaxMessagesPerPoll() : 1000;
        runner = new ImapOperationRunner(new MessageMapper(MimeLimits.of(c), c.isPreferHtml(), c.isRaw(),
                c.getTextBodyStreamThreshold()), maxFetched, Clock.systemUTC());
        sessions = pools().acquire(endpoint, settings, credentials);
        sweeper = IdleConnectionSweeper.start(endpoint.getCamelContext(), this, "CatalystMailIdleMailboxSessions",
                c.getIdleTimeout(), sessions::closeExpired);
    }

    @Override
    protected void doStop() throws Exception {
        if (sweeper != null) {
            sweeper.stop();
            sweeper = null;
        }
        if (sessions != null) {
            pools().release(endpoint);
            sessions = null;
        }
        super.doStop();
    }

    private ImapOperationPools pools() {
        return ((io.catalystmail.camel.CatalystMailComponent) endpoint.getComponent()).imapOperationPools();
    }

    /** Connections open and waiting for the next exchange (shared with the endpoints of the same login). */
    public int idleSessions() {
        return sessions == null ? 0 : sessions.idleCount();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        MailboxOperation op = MailboxOperation.of(in.getHeader(CatalystMailConstants.OPERATION,
                endpoint.getConfiguration().getOperation(), String.class), true,
                "option operation or header " + CatalystMailConstants.OPERATION);
        OperationRequest request = OperationRequest.of(op, in, endpoint.getConfiguration());
        try (SpooledMessage message = op.writesMessage() ? spool(in) : null) {
            run(request, exchange, message);
        }
    }

    /**
     * Raw mode appends the body (RFC 822 bytes, a String or a stream) as it is; otherwise it is composed as the SMTP
     * producer composes it (from, to, subject... options and headers), which needs a sender and a recipient.
     */
    private SpooledMessage spool(Message in) throws Exception {
        if (endpoint.getConfiguration().isRaw()) {
            Object body = in.getBody();
            if (body instanceof byte[] bytes) {
                return SpooledMessage.of(out -> out.write(bytes));
            }
            if (body instanceof String text) {
                return SpooledMessage.of(out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            InputStream stream = in.getMandatoryBody(InputStream.class);
            return SpooledMessage.of(stream::transferTo);
        }
        // the Message-ID an SMTP send of this exchange generated is kept, so the copy in Sent matches the mail sent
        io.catalystmail.camel.mime.OutgoingMail mail = composer.compose(in,
                in.getHeader(CatalystMailConstants.MESSAGE_ID, String.class));
        if (mail.messageId() != null) {
            in.setHeader(CatalystMailConstants.MESSAGE_ID, mail.messageId());
        }
        return SpooledMessage.of(mail.content()::writeTo);
    }

    private void run(OperationRequest request, Exchange exchange, SpooledMessage message) throws IOException {
        ImapOperationSession session = sessions.borrow();
        String[] folder = { request.folder() };
        boolean keep = false;
        try {
            session.timed(ImapOperationRunner.name(request.operation()), operationTimeout, () -> {
                runner.run(request, session, exchange, message, folder);
                return null;
            });
            keep = true;
        } catch (ImapCommandException refused) {
            keep = session.isUsable(); // the server answered: the connection is in step
            throw MailboxOperationException.of(request.operation(), endpoint.serverName(), folder[0], refused);
        } catch (RuntimeException e) {
            keep = session.isUsable();
            throw e;
        } finally {
            if (keep) {
                sessions.giveBack(session);
            } else {
                session.close();
            }
        }
    }
}
