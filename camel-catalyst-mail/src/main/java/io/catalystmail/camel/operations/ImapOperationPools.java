package io.catalystmail.camel.operations;

import java.util.HashMap;
import java.util.Map;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.net.ConnectionSettings;

/**
 * The kept connections of the IMAP operations producers of one component, shared by every endpoint that logs in to
 * the same server as the same user with the same security and timeouts. Endpoints differ by operation and folder
 * (a route may use a dozen of them), and each holding its own idle connection would soon pass a server's limit
 * (Dovecot allows 10 per user and address by default, mail_max_userip_connections). A pool is created by the first
 * producer that starts and closed when the last one stops.
 */
public final class ImapOperationPools {

    /** Everything that makes two logins the same: a connection of one pool must be good for every producer using it. */
    private record Key(String server, String username, String password, String accessToken, Object tokenSupplier,
            String authMechanism, Object sslContextParameters, String startTls, boolean verifyHostname,
            boolean allowInsecureAuth, long connectTimeout, long readTimeout, long loginTimeout, long idleTimeout) {
    }

    private static final class Shared {
        final IdleSessionPool<ImapOperationSession> pool;
        int users;

        Shared(IdleSessionPool<ImapOperationSession> pool) {
            this.pool = pool;
        }
    }

    private final Map<Key, Shared> pools = new HashMap<>();

    private static Key key(CatalystMailEndpoint endpoint) {
        CatalystMailConfiguration c = endpoint.getConfiguration();
        return new Key(endpoint.serverName(), c.getUsername(), c.getPassword(), c.getAccessToken(),
                c.getAccessTokenSupplier(), c.getAuthMechanism(), c.getSslContextParameters(),
                String.valueOf(c.getStartTls()), c.isVerifyHostname(), c.isAllowInsecureAuth(), c.getConnectTimeout(),
                c.getReadTimeout(), c.getLoginTimeout(), c.getIdleTimeout());
    }

    /** The pool for the endpoint's server and login, created with these settings when it is the first. */
    synchronized IdleSessionPool<ImapOperationSession> acquire(CatalystMailEndpoint endpoint,
            ConnectionSettings settings, Credentials credentials) {
        Shared shared = pools.computeIfAbsent(key(endpoint), k -> new Shared(new IdleSessionPool<>(
                () -> ImapOperationSession.open(settings, credentials), endpoint.getConfiguration().getIdleTimeout())));
        shared.users++;
        return shared.pool;
    }

    /** Gives the pool up; the last producer to give it up closes its connections. */
    void release(CatalystMailEndpoint endpoint) {
        IdleSessionPool<ImapOperationSession> closing = null;
        synchronized (this) {
            Key key = key(endpoint);
            Shared shared = pools.get(key);
            if (shared != null && --shared.users == 0) {
                pools.remove(key);
                closing = shared.pool;
            }
        }
        if (closing != null) {
            closing.close();
        }
    }
}
