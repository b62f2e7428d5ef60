package io.catalystmail.camel;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Which exchange headers become header fields of outgoing mail when no headerFilterStrategy is configured: every
 * header except Camel's own (Camel*, org.apache.camel*), trace and authentication fields that only a receiving
 * server may write (copying them would make forwarded mail lie about its path or fail DKIM), and HTTP transport
 * headers (a request's Authorization or Cookie must not leak into mail). The fields the component composes itself
 * (addresses, Subject, Date, Message-ID, MIME-Version, Content-*) never come from here, whatever the strategy.
 */
public class CatalystMailHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    public CatalystMailHeaderFilterStrategy() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setLowerCase(true);
        setOutFilter(java.util.Set.of(
                // trace and authentication fields (RFC 5321 §4.4, RFC 6376, RFC 8601, RFC 8617)
                "received", "return-path", "delivered-to", "x-original-to", "dkim-signature", "domainkey-signature",
                "authentication-results", "received-spf", "arc-seal", "arc-message-signature",
                "arc-authentication-results",
                // HTTP transport headers
                "authorization", "proxy-authorization", "cookie", "set-cookie", "host", "connection", "keep-alive",
                "content-length", "transfer-encoding", "te", "upgrade", "expect", "accept", "accept-encoding",
                "accept-language", "accept-charset", "user-agent", "origin", "referer", "cache-control", "pragma"));
    }
}
