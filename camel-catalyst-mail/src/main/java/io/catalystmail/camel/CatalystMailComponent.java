package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code catalystmail:} component. Endpoint URIs are {@code catalystmail:PROTOCOL:HOST[:PORT][?options]}. As
 * camel-mail's, it has the healthCheckConsumerEnabled and healthCheckProducerEnabled options of Camel's
 * HealthCheckComponent, and useGlobalSslContextParameters.
 */
@Component("catalystmail")
public class CatalystMailComponent extends HealthCheckComponent implements SSLContextParametersAware {

    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailComponent.class);

    /** Options whose values never stay in an endpoint URI (lower case): those the catalog marks secret. */
    private static final Set<String> SECRET_OPTIONS = Set.of("password", "accesstoken", "username");

    /** Options shared by every endpoint of this component; endpoint URIs override them. */
    @Metadata(label = "advanced")
    private CatalystMailConfiguration configuration = new CatalystMailConfiguration();
    /** Use the CamelContext's global SSLContextParameters when an endpoint has none of its own. */
    @Metadata(label = "security", defaultValue = "false")
    private boolean useGlobalSslContextParameters;
    /** The IMAP operations producers' kept connections, shared across endpoints of the same login. */
    private final io.catalystmail.camel.operations.ImapOperationPools imapOperationPools =
            new io.catalystmail.camel.operations.ImapOperationPools();
    /** The meters of this component's endpoints, one set per server (producers) or folder (consumers). */
    private final io.catalystmail.camel.metrics.SharedMeters sharedMeters = new io.catalystmail.camel.metrics.SharedMeters();

    public CatalystMailComponent() {
    }

    public CatalystMailComponent(CamelContext context) {
        super(context);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        RepeatedOptions.refuse(parameters, SECRET_OPTIONS);
        CatalystMailConfiguration config = configuration.copy();
        EndpointAddress address = EndpointAddress.parse(remaining);
        config.setProtocol(address.protocol());
        config.setHost(address.host());
        config.setPort(address.port());
        if (config.getSslContextParameters() == null) {
            config.setSslContextParameters(retrieveGlobalSslContextParameters());
        }
        CatalystMailEndpoint endpoint = new CatalystMailEndpoint(withoutSecrets(uri), this, config);
        // taken before setProperties, which removes the options it binds
        List<String> consumerOnly = address.protocol().kind() == MailProtocol.Kind.SMTP
                ? ConsumerOnlyOptions.among(parameters.keySet()) : List.of();
        Set<String> ownOptions = parameters.keySet().stream().map(name -> name.toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        setProperties(endpoint, parameters);
        if (address.protocol().kind() == MailProtocol.Kind.POP3) {
            ComponentImapOnlyOptions.dropInheritedByPop3(endpoint, config, ownOptions);
        }
        endpoint.validateConfiguration(ownOptions);
        if (!consumerOnly.isEmpty()) {
            LOG.warn("Endpoint {} sends mail and ignores the consumer options {}: nothing is polled, deleted, moved or"
                     + " marked from here (they belong on a from() of imap or pop3)", endpoint.getEndpointUri(),
                    consumerOnly);
        }
        return endpoint;
    }

    /** The meters of this component's endpoints. */
    public io.catalystmail.camel.metrics.SharedMeters sharedMeters() {
        return sharedMeters;
    }

    /** The kept connections of this component's IMAP operations producers. */
    public io.catalystmail.camel.operations.ImapOperationPools imapOperationPools() {
        return imapOperationPools;
    }

    public CatalystMailConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The endpoint URI without the password, accessToken and username options. Camel sanitises the URI where it
     * logs it, but some outputs print {@code getEndpointUri()} as is (the endpoint dev console's JSON), so the
     * endpoint never holds them in its URI; the options themselves are already bound to the configuration.
     */
    static String withoutSecrets(String uri) {
        int query = uri.indexOf('?');
        if (query < 0) {
            return uri;
        }
        StringBuilder kept = new StringBuilder(uri.length());
        for (String parameter : parameters(uri.substring(query + 1))) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
            if (!SECRET_OPTIONS.contains(name)) {
                kept.append(kept.length() == 0 ? "" : "&").append(parameter);
            }
        }
        return kept.length() == 0 ? uri.substring(0, query) : uri.substring(0, query + 1) + kept;
    }

    /** Splits a query at '&', keeping a RAW(...) or RAW{...} value whole even when it contains '&'. */
    private static List<String> parameters(String query) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i <= query.length()) {
            if (i == query.length() || query.charAt(i) == '&') {
                if (i > start) {
                    out.add(query.substring(start, i));
                }
                start = ++i;
                continue;
            }
            if (query.startsWith("=RAW(", i) || query.startsWith("=RAW{", i)) {
                char close = query.charAt(i + 4) == '(' ? ')' : '}';
                int end = i + 5;
                // the value ends at a closing bracket followed by '&' or the end of the query
                while (end < query.length() && !(query.charAt(end) == close
                        && (end + 1 == query.length() || query.charAt(end + 1) == '&'))) {
                    end++;
                }
                i = Math.min(end + 1, query.length());
                continue;
            }
            i++;
        }
        return out;
    }

    public void setConfiguration(CatalystMailConfiguration configuration) {
        this.configuration = configuration;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    /** The PROTOCOL:HOST[:PORT] part of an endpoint URI. */
    record EndpointAddress(MailProtocol protocol, String host, int port) {

        static EndpointAddress parse(String remaining) {
            String rest = remaining;
            if (rest.startsWith("//")) {
                rest = rest.substring(2);
            }
            int colon = rest.indexOf(':');
            String first = colon > 0 ? rest.substring(0, colon) : rest;
            MailProtocol protocol = MailProtocol.fromScheme(first);
            if (protocol == null) {
                throw new IllegalArgumentException((colon > 0 && !looksLikePortFollows(rest, colon)
                        ? "Unknown mail protocol '" + first.toLowerCase(Locale.ROOT) + "'" : "No protocol")
                        + " in catalystmail:" + remaining + "; expected catalystmail:PROTOCOL:HOST[:PORT] with PROTOCOL"
                        + " one of smtp, smtps, submission, imap, imaps, pop3, pop3s");
            }
            rest = colon > 0 ? rest.substring(colon + 1) : "";
            if (rest.startsWith("//")) {
                rest = rest.substring(2);
            }
            if (rest.endsWith("/")) {
                rest = rest.substring(0, rest.length() - 1);
            }
            int at = rest.lastIndexOf('@');
            if (at >= 0) {
                // camel-mail's imaps://user:password@host: the part before '@' is not repeated, it may be a password
                throw new IllegalArgumentException("A user before '@' in catalystmail:" + protocol.scheme() + ":...@"
                        + rest.substring(at + 1) + " is not supported: set the username and password options"
                        + " (password=RAW(...))");
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
            return new EndpointAddress(protocol, host, port);
        }

        private static boolean looksLikePortFollows(String rest, int colon) {
            String after = rest.substring(colon + 1);
            return !after.isEmpty() && after.chars().allMatch(Character::isDigit);
        }
    }
}
