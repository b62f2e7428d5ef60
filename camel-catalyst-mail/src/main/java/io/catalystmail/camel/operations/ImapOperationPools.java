package io.catalystmail.camel.operations;

import java.util.HashMap;
import java.util.Map;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.IdleConnectionSweeper;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.pool.ConnectionPool;

/**
 * The kept connections of the IMAP operations producers of one component, shared by every endpoint that logs in to
 * the same server as the same user with the same security, timeouts and maxConnections. Endpoints differ by operation
 * and folder (a route may use a dozen of them), and each holding its own idle connection would soon pass a server's
 * limit (Dovecot allows 10 per user and address by default, mail_max_userip_connections). A pool, and the one timer
 * that closes its idle connections, are created by the first producer that starts and closed when the last one stops.
 */
public final class ImapOperationPools {

    /** Everything that makes two logins the same: a connection of one pool must be good for every producer using it. */
    private record Key(String server, String username, String password, String accessToken, Object tokenSupplier,
            String authMechanism, Object sslContextParameters, String startTls, boolean verifyHostname,
            boolean allowInsecureAuth, long connectTimeout, long readTimeout, long loginTimeout, long idleTimeout,
            int maxConnections) {

        /** Never the record's default: that would print the password and the access token. */
        @Override
        public String toString() {
            return "IMAP operations pool for " + server;
        }
    }

    private static final class Shared {
        final ConnectionPool<ImapOperationSession> pool;
        final IdleConnectionSweeper sweeper;
        int users;

        Shared(ConnectionPool<ImapOperationSession> pool, IdleConnectionSweeper sweeper) {
            this.pool = pool;
            this.sweeper = sweeper;
        }
    }

    /**
     * A producer's share of a pool, given back by {@link #release}: it keeps the key the pool was found by, since the
     * endpoint's settings may have changed by the time the producer stops (a rotated password), and a key taken then
     * would find no pool and leave this one open for good.
     */
    record Share(ConnectionPool<ImapOperationSession> pool, Key key) {
    }

    private final Map<Key, Shared> pools = new HashMap<>();

    private static Key key(CatalystMailEndpoint endpoint) {
        CatalystMailConfiguration c = endpoint.getConfiguration();
        return new Key(endpoint.serverName(), c.getUsername(), c.getPassword(), c.getAccessToken(),
                c.getAccessTokenSupplier(), c.getAuthMechanism(), c.getSslContextParameters(),
                String.valueOf(c.getStartTls()), c.isVerifyHostname(), c.isAllowInsecureAuth(), c.getConnectTimeout(),
                c.getReadTimeout(), c.getLoginTimeout(), c.getIdleTimeout(), c.getMaxConnections());
    }

    /** The pool for the endpoint's server and login, created with these settings when it is the first. */
    synchronized Share acquire(CatalystMailEndpoint endpoint, ConnectionSettings settings, Credentials credentials) {
        Key key = key(endpoint);
        Shared shared = pools.computeIfAbsent(key, k -> {
            CatalystMailConfiguration c = endpoint.getConfiguration();
            ConnectionPool<ImapOperationSession> pool = new ConnectionPool<>(
                    new ImapOperationSession.Connections(settings, credentials), new ConnectionPool.Limits(
                            c.getIdleTimeout(), c.getMaxConnections(), c.getConnectTimeout(), endpoint.serverName()));
            return new Shared(pool, IdleConnectionSweeper.start(endpoint.getCamelContext(), this,
                    "CatalystMailIdleMailboxSessions", c.getIdleTimeout(), pool::closeExpired));
        });
        shared.users++;
        return new Share(shared.pool, key);
    }

    /** Gives the pool up; the last producer to give it up stops its timer and closes its connections. */
    void release(Share share) {
        Shared closing = null;
        synchronized (this) {
            Shared shared = pools.get(share.key());
            if (shared != null && --shared.users == 0) {
                pools.remove(share.key());
                closing = shared;
            }
        }
        if (closing != null) {
            closing.sweeper.stop();
            closing.pool.close();
        }
    }
}
