package io.catalystmail.camel.smtp;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An open, greeted (and if configured encrypted and authenticated) SMTP submission connection that sends any
 * number of messages, one transaction at a time. Not thread-safe: one sender at a time.
 */
public final class SmtpSession implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpSession.class);
    private static final Pattern DOMAIN = Pattern.compile(
            "[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+");
    private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);

    private final ConnectionSettings settings;
    private final SmtpConnection connection;
    private final String server;
    private SmtpCapabilities capabilities = SmtpCapabilities.NONE;
    private boolean broken;
    /** RSET is owed before the next MAIL FROM (see {@link #resetForNextTransaction()}). */
    private boolean resetPending;
    private boolean closed;

    private SmtpSession(ConnectionSettings settings, SmtpConnection connection) {
        this.settings = settings;
        this.connection = connection;
        this.server = settings.describe();
    }

    /**
     * Connects (implicit TLS per settings), reads the 220 greeting, says EHLO (HELO when EHLO is refused), upgrades
     * with STARTTLS per {@code settings.startTls()} and says EHLO again, then authenticates when
     * {@code credentials.present()}.
     *
     * @param credentials   who to log in as; null or {@link Credentials#NONE} for no AUTH
     * @param localHostName the name for EHLO; null for this host's name, or its address literal when it has no
     *                      fully qualified name
     * @throws IllegalArgumentException when {@code localHostName} could alter the EHLO line (nothing is connected)
     * @throws io.catalystmail.camel.auth.AuthenticationException when the login is refused or would be unsafe
     * @throws io.catalystmail.camel.net.TlsFailureException when the certificate or host name does not verify
     */
    public static SmtpSession open(ConnectionSettings settings, Credentials credentials, String localHostName)
            throws IOException {
        return open(settings, credentials, localHostName, AuthNotOffered.PROCEED_OVER_VERIFIED_TLS);
    }

    /**
     * Like {@link #open(ConnectionSettings, Credentials, String)}, with what to do when credentials are configured
     * but the server offers no AUTH.
     */
    public static SmtpSession open(ConnectionSettings settings, Credentials credentials, String localHostName,
            AuthNotOffered whenAuthNotOffered) throws IOException {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(whenAuthNotOffered, "whenAuthNotOffered");
        Credentials login = credentials == null ? Credentials.NONE : credentials;
        if (localHostName != null) {
            checkHeloName(localHostName);
        }
        SmtpSession session = new SmtpSession(settings, SmtpConnection.open(settings));
        session.connection.startDeadline("the login", "loginTimeout", settings.loginTimeout());
        try {
            session.greet(localHostName != null ? localHostName : session.defaultHeloName());
            if (login.present()) {
                SmtpAuthentication.authenticate(session.connection, settings, session.capabilities.authMechanisms(),
                        login, whenAuthNotOffered);
            }
            session.connection.endDeadline();
            return session;
        } catch (IOException e) {
            io.catalystmail.camel.net.ConnectionDeadline.Armed expired = session.connection.expiredDeadline();
            session.connection.endDeadline();
            if (expired != null) {
                session.markBroken(); // the socket is closed: no QUIT
            }
            session.close();
            throw expired != null ? new SmtpException(expired.timeout(e).getMessage(), "EHLO", null, e) : e;
        } catch (RuntimeException e) {
            session.close();
            throw e;
        } finally {
            session.connection.endDeadline();
        }
    }

    /** What the server announced in its (last) EHLO reply; {@link SmtpCapabilities#NONE} after HELO. */
    public SmtpCapabilities capabilities() {
        return capabilities;
    }

    /**
     * Runs one transaction: MAIL FROM, RCPT TO for each recipient, DATA, the content (normalised to CRLF and
     * dot-stuffed) and the final dot; pipelined when the server offers PIPELINING.
     *
     * @return accepted and (partially) rejected recipients with the server's final reply
     * @throws SmtpRejectedException          the message was refused and not sent (the session stays usable)
     * @throws SmtpUncertainDeliveryException the connection failed after the final dot: it may have been sent
     * @throws SmtpException                  the connection failed before the end of data: not sent; session broken
     */
    public SubmissionResult send(Envelope envelope, MessageContent content) throws IOException {
        Objects.requireNonNull(envelope, "envelope");
        Objects.requireNonNull(content, "content");
        ensureUsable("MAIL FROM");
        MailTransaction transaction = new MailTransaction(connection, capabilities, server);
        transaction.check(envelope, content);
        boolean resetFirst = resetPending;
        resetPending = false;
        connection.startDeadline("a mail transaction", "sendTimeout", settings.operationTimeout());
        try {
            return transaction.submit(envelope, content, resetFirst);
        } catch (SmtpRejectedException e) {
            connection.endDeadline();
            // the server refused but the protocol is in step: RSET clears any half-built transaction
            resetQuietly();
            throw e;
        } catch (IOException e) {
            markBroken();
            throw timedOut(e);
        } catch (RuntimeException e) {
            markBroken();
            throw e;
        } finally {
            connection.endDeadline();
        }
    }

    /**
     * The failure of a transaction whose sendTimeout passed, saying so: before the final dot the message was not
     * sent (the server discards a transaction whose connection is lost, RFC 5321 §3.8), after it the send is
     * uncertain, as for any failure there.
     */
    private IOException timedOut(IOException e) {
        io.catalystmail.camel.net.ConnectionDeadline.Armed expired = connection.expiredDeadline();
        if (expired == null) {
            return e;
        }
        String timeout = expired.timeout(e).getMessage();
        if (e instanceof SmtpUncertainDeliveryException) {
            return new SmtpUncertainDeliveryException(timeout + " after the end of message data; " + server
                    + " may have accepted the message", "DATA", e);
        }
        String command = e instanceof SmtpException smtp ? smtp.command() : "DATA";
        return new SmtpException(timeout + " before the end of message data: the message was not sent", command,
                null, e);
    }

    /**
     * Readies a reused connection for its next transaction with RSET (RFC 5321 §4.1.1.5). When the server
     * pipelines, the RSET travels in the same write as the next MAIL FROM instead of costing a round trip now;
     * a connection that went stale then fails at that write or its first reply, before any message data.
     */
    public void resetForNextTransaction() throws IOException {
        if (capabilities.pipelining()) {
            ensureUsable("RSET");
            resetPending = true;
        } else {
            reset();
        }
    }

    /** RSET (RFC 5321 §4.1.1.5): clears any transaction; used between messages on a reused connection. */
    public void reset() throws IOException {
        ensureUsable("RSET");
        try {
            connection.command("RSET");
            SmtpReply reply = connection.readReply("RSET");
            if (!reply.isPositive()) {
                markBroken();
                throw new SmtpException(server + " refused RSET: " + reply, "RSET", reply);
            }
        } catch (SmtpException e) {
            markBroken();
            throw e;
        } catch (IOException e) {
            markBroken();
            throw new SmtpException("RSET failed on " + server + ": " + e.getMessage(), "RSET", null, e);
        }
    }

    /** True when NOOP is answered with 2xx within the read timeout; a false answer marks the session broken. */
    public boolean isAlive() {
        if (closed || broken || connection.failed()) {
            return false;
        }
        try {
            connection.command("NOOP");
            if (connection.readReply("NOOP").isPositive()) {
                return true;
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("{} failed NOOP: {}", server, e.toString());
        }
        markBroken();
        return false;
    }

    /** Sends QUIT when the connection is still in step (waiting briefly for the reply) and closes; never throws. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!broken && !connection.failed() && connection.isConnected()) {
            try {
                connection.readTimeout(QUIT_TIMEOUT.compareTo(settings.readTimeout()) < 0 ? QUIT_TIMEOUT
                        : settings.readTimeout());
                connection.command("QUIT");
                connection.readReply("QUIT");
                connection.closeAfterQuit();
                return;
            } catch (IOException | RuntimeException e) {
                LOG.debug("QUIT to {} failed: {}", server, e.toString());
            }
        }
        connection.closeQuietly();
    }

    private void greet(String heloName) throws IOException {
        SmtpReply greeting = connection.readGreeting();
        if (greeting.code() != 220) {
            throw new SmtpException(server + " refused the session: " + greeting, "greeting", greeting);
        }
        hello(heloName);
        if (settings.implicitTls()) {
            return;
        }
        switch (settings.startTls()) {
            case REQUIRED -> {
                if (!capabilities.startTls()) {
                    // nothing more goes to a server that may be an attacker stripping STARTTLS, not even QUIT
                    markBroken();
                    throw new SmtpException("startTls=REQUIRED, but " + server + " does not offer STARTTLS; "
                            + "nothing else was sent", "STARTTLS", null);
                }
                startTls(true, heloName);
            }
            case WHEN_OFFERED -> {
                if (capabilities.startTls()) {
                    startTls(false, heloName);
                }
            }
            case DISABLED -> {
            }
        }
    }

    private void startTls(boolean required, String heloName) throws IOException {
        connection.command("STARTTLS");
        SmtpReply reply = connection.readReply("STARTTLS");
        if (reply.code() != 220) {
            if (required) {
                throw new SmtpException(server + " refused STARTTLS: " + reply, "STARTTLS", reply);
            }
            LOG.debug("{} refused STARTTLS ({}); going on without TLS as startTls=WHEN_OFFERED allows", server, reply);
            return;
        }
        try {
            connection.startTls();
        } catch (IOException e) {
            markBroken();
            throw e;
        }
        // RFC 3207 §4.2: forget everything learnt before TLS and ask again
        hello(heloName);
    }

    /** EHLO, falling back to HELO when the server does not know EHLO (RFC 5321 §3.2). */
    private void hello(String heloName) throws IOException {
        connection.command("EHLO " + heloName);
        SmtpReply ehlo = connection.readReply("EHLO");
        if (ehlo.isPositive()) {
            capabilities = SmtpCapabilities.fromEhloReply(ehlo);
            return;
        }
        if (!ehlo.isPermanentFailure()) {
            throw new SmtpException(server + " refused EHLO: " + ehlo, "EHLO", ehlo);
        }
        connection.command("HELO " + heloName);
        SmtpReply helo = connection.readReply("HELO");
        if (!helo.isPositive()) {
            throw new SmtpException(server + " refused EHLO (" + ehlo + ") and HELO: " + helo, "HELO", helo);
        }
        capabilities = SmtpCapabilities.NONE;
    }

    /** This host's fully qualified name, else the address literal of the connection's local end (RFC 5321 §4.1.3). */
    private String defaultHeloName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            if (DOMAIN.matcher(name).matches()) {
                return name;
            }
        } catch (IOException e) {
            LOG.debug("no local host name: {}", e.toString());
        }
        InetAddress local = connection.getLocalAddress();
        return local instanceof Inet6Address ? "[IPv6:" + local.getHostAddress().replaceAll("%.*", "") + "]"
                : "[" + local.getHostAddress() + "]";
    }

    static void checkHeloName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("localHostName is empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("localHostName contains CR, LF, NUL, a space or another control "
                        + "character: " + AddressSyntax.printable(name));
            }
        }
    }

    private void ensureUsable(String command) throws SmtpException {
        if (closed) {
            throw new SmtpException("the SMTP session with " + server + " is closed", command, null);
        }
        if (broken || connection.failed()) {
            throw new SmtpException("the SMTP session with " + server + " is broken by an earlier failure; open a new "
                    + "one", command, null);
        }
    }

    private void resetQuietly() {
        try {
            reset();
        } catch (IOException e) {
            LOG.debug("RSET after a refusal failed on {}: {}", server, e.toString());
        }
    }

    /** The connection is out of step or gone: drop it so no later command can be misread. */
    private void markBroken() {
        broken = true;
        connection.closeQuietly();
    }
}
