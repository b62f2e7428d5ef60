package io.catalystmail.camel;

import java.util.Locale;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code catalystmail:} component. Endpoint URIs are {@code catalystmail:PROTOCOL:HOST[:PORT][?options]} or
 * {@code catalystmail:HOST:PORT} where a well-known port implies the protocol.
 */
@Component("catalystmail")
public class CatalystMailComponent extends DefaultComponent {

    /** Options shared by every endpoint of this component; endpoint URIs override them. */
    @Metadata(label = "advanced")
    private CatalystMailConfiguration configuration = new CatalystMailConfiguration();

    public CatalystMailComponent() {
    }

    public CatalystMailComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        CatalystMailConfiguration config = configuration.copy();
        EndpointAddress address = EndpointAddress.parse(remaining);
        config.setProtocol(address.protocol());
        config.setHost(address.host());
        config.setPort(address.port());
        CatalystMailEndpoint endpoint = new CatalystMailEndpoint(uri, this, config);
        setProperties(endpoint, parameters);
        endpoint.validateConfiguration();
        return endpoint;
    }

    public CatalystMailConfiguration getConfiguration() {
        return configuration;
    }

    public void setConfiguration(CatalystMailConfiguration configuration) {
        this.configuration = configuration;
    }

    /** The PROTOCOL:HOST[:PORT] part of an endpoint URI. */
    record EndpointAddress(MailProtocol protocol, String host, int port) {

        static EndpointAddress parse(String remaining) {
            String rest = remaining;
            if (rest.startsWith("//")) {
                rest = rest.substring(2);
            }
            MailProtocol protocol = null;
            int colon = rest.indexOf(':');
            if (colon > 0) {
                String first = rest.substring(0, colon);
                MailProtocol named = MailProtocol.fromScheme(first);
                if (named != null) {
                    protocol = named;
                    rest = rest.substring(colon + 1);
                    if (rest.startsWith("//")) {
                        rest = rest.substring(2);
                    }
                } else if (!looksLikePortFollows(rest, colon)) {
                    throw new IllegalArgumentException("Unknown mail protocol '" + first.toLowerCase(Locale.ROOT)
                            + "' in catalystmail:" + remaining + "; use one of smtp, smtps, submission, imap, imaps, pop3, pop3s");
                }
            }
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            String host = rest;
            int port = 0;
            int portColon = rest.lastIndexOf(':');
            if (rest.startsWith("[")) {
                int close = rest.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("Unterminated IPv6 address in catalystmail:" + remaining);
                }
                host = rest.substring(1, close);
                portColon = rest.indexOf(':', close) >= 0 ? rest.indexOf(':', close) : -1;
            } else if (portColon >= 0) {
                host = rest.substring(0, portColon);
            }
            if (portColon >= 0) {
                String p = rest.substring(portColon + 1);
                try {
                    port = Integer.parseInt(p);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Invalid port '" + p + "' in catalystmail:" + remaining);
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("No host in catalystmail:" + remaining
                        + "; expected catalystmail:PROTOCOL:HOST[:PORT]");
            }
            if (protocol == null) {
                protocol = MailProtocol.fromWellKnownPort(port);
                if (protocol == null) {
                    throw new IllegalArgumentException("No protocol in catalystmail:" + remaining
                            + " and port " + port + " is not a well-known mail port; expected catalystmail:PROTOCOL:HOST[:PORT]");
                }
            }
            return new EndpointAddress(protocol, host, port);
        }

        private static boolean looksLikePortFollows(String rest, int colon) {
            String after = rest.substring(colon + 1);
            return !after.isEmpty() && after.chars().allMatch(Character::isDigit);
        }
    }
}
