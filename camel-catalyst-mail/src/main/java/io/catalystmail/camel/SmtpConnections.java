package io.catalystmail.camel;

import java.io.IOException;

import io.catalystmail.camel.pool.ConnectionPool;
import io.catalystmail.camel.smtp.SmtpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP producer's sessions as its {@link ConnectionPool} keeps them: a reused session is reset with RSET first
 * (RFC 5321 section 4.1.1.5), in the same write as the next MAIL FROM when the server pipelines, else sent now, where
 * a dead connection fails and is replaced.
 */
final class SmtpConnections implements ConnectionPool.Connections<SmtpSession> {

    private static final Logger LOG = LoggerFactory.getLogger(SmtpConnections.class);

    private final SmtpLoginHealthCheck.SessionOpener opener;

    SmtpConnections(SmtpLoginHealthCheck.SessionOpener opener) {
        this.opener = opener;
    }

    @Override
    public SmtpSession open() throws IOException {
        return opener.open();
    }

    @Override
    public boolean reusable(SmtpSession session, long idleNanos) {
        try {
            session.resetForNextTransaction();
            return true;
        } catch (IOException e) {
            LOG.debug("Discarding a stale SMTP session: {}", e.getMessage());
            return false;
        }
    }

    @Override
    public void close(SmtpSession session) {
        session.close();
    }
}
