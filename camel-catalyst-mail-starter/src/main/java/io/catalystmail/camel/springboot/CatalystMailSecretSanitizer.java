package io.catalystmail.camel.springboot;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.spring.boot.security.CamelSSLConfigurationProperties;
import org.springframework.beans.BeanWrapperImpl;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the component's secrets (the options its catalog marks secret: password, accessToken, username) and the
 * passwords of Camel's global TLS settings ({@link CamelTlsPasswords}) in {@code /actuator/env} and
 * {@code /actuator/configprops}, also when an application shows values there. Spring Boot masks nothing by itself
 * once {@code show-values} is {@code always}.
 *
 * <p>Two rules, because neither is enough alone: a property is masked when its name is one of ours in any relaxed
 * form ({@code camel.component.catalystmail.password}, {@code CAMEL_COMPONENT_CATALYSTMAIL_PASSWORD}), and any
 * property is masked whose value holds one of the secrets bound now (the user name only as the whole value). The
 * second covers the configprops report, which names a property only by its simple name, a secret that reaches us
 * through a placeholder such as {@code password: ${MAIL_PASSWORD}}, where the environment variable itself carries
 * the value under a name of the application's choosing, and a secret given on the command line, which is part of
 * the JVM's {@code sun.java.command}.
 */
public class CatalystMailSecretSanitizer implements SanitizingFunction {

    private static final String PREFIX = "camel.component.catalystmail.";

    /**
     * Secrets masked only where they are the whole value. The others are masked inside longer values too (the JVM's
     * sun.java.command, JAVA_TOOL_OPTIONS with -D flags), but a user name such as "mail" would hide every value
     * that contains the word.
     */
    private static final Set<String> WHOLE_VALUE_ONLY = Set.of("username");

    private final Set<String> secretKeys;
    private final ObjectProvider<CatalystMailComponentConfiguration> configuration;
    private final CamelTlsPasswords tlsPasswords;

    /**
     * @param tlsProperties Camel's global TLS settings ({@code camel.ssl}), whose passwords are masked too: the
     *                      component's guide has users put client certificates and trust stores there
     */
    public CatalystMailSecretSanitizer(ObjectProvider<CatalystMailComponentConfiguration> configuration,
            ObjectProvider<CamelSSLConfigurationProperties> tlsProperties) {
        this.configuration = configuration;
        this.tlsPasswords = new CamelTlsPasswords(tlsProperties);
        this.secretKeys = CatalystMailComponentConfiguration.SECRET_PROPERTIES.stream()
                .map(name -> relaxed(PREFIX + name)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public SanitizableData apply(SanitizableData data) {
        if (data.getValue() == null) {
            return data;
        }
        if (data.getKey() != null) {
            String key = relaxed(data.getKey());
            if (secretKeys.contains(key) || CamelTlsPasswords.isPasswordKey(key)) {
                return data.withSanitizedValue();
            }
        }
        String value = String.valueOf(data.getValue());
        return holdsBoundSecret(value) || tlsPasswords.holdsBoundPassword(value) ? data.withSanitizedValue() : data;
    }

    private boolean holdsBoundSecret(String value) {
        CatalystMailComponentConfiguration bound = configuration.getIfAvailable();
        if (bound == null || value.isEmpty()) {
            return false;
        }
        BeanWrapperImpl properties = new BeanWrapperImpl(bound);
        return CatalystMailComponentConfiguration.SECRET_PROPERTIES.stream().anyMatch(name -> {
            Object secret = properties.getPropertyValue(camelCase(name));
            if (secret == null || String.valueOf(secret).isEmpty()) {
                return false;
            }
            return WHOLE_VALUE_ONLY.contains(name) ? value.equals(String.valueOf(secret))
                    : value.contains(String.valueOf(secret));
        });
    }

    /** A property name in the form every relaxed spelling of it shares: lower case, letters and digits only. */
    private static String relaxed(String key) {
        return key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    private static String camelCase(String kebab) {
        StringBuilder sb = new StringBuilder(kebab.length());
        boolean upper = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }
}
