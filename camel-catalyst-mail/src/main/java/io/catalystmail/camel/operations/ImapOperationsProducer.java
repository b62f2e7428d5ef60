package io.catalystmail.camel.operations;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

import io.catalystmail.camel.CatalystMailComponent;
import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.CatalystMailProducer;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.ConnectionStillInStep;
import io.catalystmail.camel.mime.MessageComposer;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MimeLimits;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pool.ConnectionPool;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code to("catalystmail:imap:host?operation=...")}: one IMAP operation per exchange (the operation option, or the
 * CamelCatalystMailOperation header), on logged-in connections kept between exchanges in a {@link ConnectionPool}
 * of at most maxConnections, shared with the other endpoints of the same login ({@link ImapOperationPools}).
 * The request is checked and an appended message composed and spooled before a connection is borrowed, so bad
 * input sends nothing. A refusal (NO, BAD) fails the exchange with a {@link MailboxOperationException} naming
 * operation, folder and the server's text, and the connection is lent again, as after a failure the producer decided
 * from answers read whole ({@link ConnectionStillInStep}); any other failure closes it, and a loss, timeout or
 * broken answer fails the exchange with a {@link MailboxOperationFailedException} naming operation and folders
 * ({@link FailedOperation}, the rule a streamed fetch's rounds follow too).
 */
public class ImapOperationsProducer extends MailboxOperationsProducer {

    private final CatalystMailEndpoint endpoint;
    private ImapOperationPools.Share share;
    private ConnectionPool<ImapOperationSession> sessions;
    private ImapOperationRunner runner;
    private MessageComposer composer;
    private Duration operationTimeout;

    public ImapOperationsProducer(CatalystMailEndpoint endpoint) {
        super(endpoint, true);
        this.endpoint = endpoint;
    }

    @Override
    void started(ConnectionSettings settings, Credentials credentials) {
        CatalystMailConfiguration c = endpoint.getConfiguration();
        operationTimeout = Duration.ofMillis(c.getFetchTimeout());
        composer = new MessageComposer(c, CatalystMailProducer.messageIdDomain(c.getLocalHostName()));
        int maxFetched = c.getMaxMessagesPerPoll() > 0 ? c.getMaxMessagesPerPoll() : 1000;
        MessageFetcher fetcher = new MessageFetcher(new MessageMapper(MimeLimits.of(c), c.isPreferHtml(), c.isRaw(),
                c.getTextBodyStreamThreshold()), c.getMaxMessageSize());
        runner = new ImapOperationRunner(fetcher, maxFetched, c.getFetchRoundSize(), operationTimeout,
                Clock.systemUTC(), endpoint.serverName());
        share = pools().acquire(endpoint, settings, credentials);
        sessions = share.pool();
    }

    @Override
    protected void doStop() throws Exception {
        if (share != null) {
            pools().release(share);
            share = null;
            sessions = null;
        }
        super.doStop();
    }

    private ImapOperationPools pools() {
        return ((CatalystMailComponent) endpoint.getComponent()).imapOperationPools();
    }

    /** Connections open and waiting for the next exchange (shared with the endpoints of the same login). */
    public int idleSessions() {
        return sessions == null ? 0 : sessions.idleCount();
    }

    @Override
    void process(Exchange exchange, MailboxOperation op) throws Exception {
        Message in = exchange.getMessage();
        OperationRequest request;
        SpooledMessage message;
        try {
            request = OperationRequest.of(op, in, endpoint.getConfiguration());
            message = op.writesMessage() ? spool(in) : null;
        } catch (IllegalArgumentException e) {
            // Camel 4 keeps no message history by default: without the server, a route of several operation
            // endpoints could not tell which one refused its input
            throw new IllegalArgumentException(op.name().toLowerCase(Locale.ROOT) + " on "
                    + endpoint.serverName() + ": " + e.getMessage() + " (nothing was sent)", e);
        }
        try (message) {
            run(request, exchange, message);
        }
    }

    /**
     * Raw mode appends the body (RFC 822 bytes, a String or a stream) as it is; otherwise it is composed as the SMTP
     * producer composes it (from, to, subject... options and headers), except that a draft without recipients or
     * sender is stored as it is: APPEND takes any message (RFC 3501 §6.3.11).
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
            if (body == null) {
                throw new IllegalArgumentException("raw=true appends the body as it is, and the exchange has none");
            }
            InputStream stream = in.getMandatoryBody(InputStream.class);
            return SpooledMessage.of(stream::transferTo);
        }
        // the Message-ID an SMTP send of this exchange generated is kept, so the copy in Sent matches the mail sent
        io.catalystmail.camel.mime.OutgoingMail mail = composer.composeForStorage(in,
                in.getHeader(CatalystMailConstants.MESSAGE_ID, String.class));
        if (mail.messageId() != null) {
            in.setHeader(CatalystMailConstants.MESSAGE_ID, mail.messageId());
        }
        return SpooledMessage.of(mail.content()::writeTo);
    }

    private void run(OperationRequest request, Exchange exchange, SpooledMessage message) throws IOException {
        ConnectionPool<ImapOperationSession> pool = sessions;
        ImapOperationSession session = pool.borrow().connection();
        String[] folders = { request.folder(), null }; // the folder worked on, the destination
        boolean keep = false;
        StreamedFetch streamed = null;
        try {
            streamed = session.timed(ImapOperationRunner.name(request.operation()), operationTimeout,
                    () -> runner.run(request, session, exchange, message, folders));
            keep = true;
        } catch (IOException e) {
            keep = FailedOperation.inStep(session, e);
            throw FailedOperation.named(request.operation(), endpoint.serverName(), folders[0], folders[1], session,
                    e);
        } catch (RuntimeException e) {
            keep = session.isUsable();
            throw e;
        } finally {
            if (streamed != null) {
                // the body reads on over this connection; it comes back when the split has read it or gave up
                streamed.lend(usable -> giveBack(pool, session, usable));
                exchange.getExchangeExtension().addOnCompletion(new StreamedFetchCompletion(streamed));
            } else {
                giveBack(pool, session, keep);
            }
        }
    }

    private static void giveBack(ConnectionPool<ImapOperationSession> pool, ImapOperationSession session,
            boolean usable) {
        if (usable) {
            pool.giveBack(session);
        } else {
            pool.discard(session);
        }
    }
}
