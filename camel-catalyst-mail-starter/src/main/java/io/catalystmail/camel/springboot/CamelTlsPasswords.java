package io.catalystmail.camel.springboot;

import java.util.ArrayList;
import java.util.List;

import org.apache.camel.spring.boot.security.CamelSSLConfigurationProperties;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The passwords of Camel's own global TLS settings ({@code camel.ssl.config.key-managers.key-store.password},
 * {@code ...key-password}, {@code camel.ssl.config.trust-managers.key-store.password}, and the same without
 * {@code config.}), which the Spring Boot guide has users set for client certificates and private trust stores.
 * camel-spring-boot brings no sanitizer for them, and Spring Boot masks nothing once an application shows values, so
 * {@link CatalystMailSecretSanitizer} masks them with the component's own secrets.
 */
final class CamelTlsPasswords {

    private final ObjectProvider<CamelSSLConfigurationProperties> properties;

    CamelTlsPasswords(ObjectProvider<CamelSSLConfigurationProperties> properties) {
        this.properties = properties;
    }

    /**
     * Whether a property name, in the form every relaxed spelling shares (lower case, letters and digits only), is a
     * password under {@code camel.ssl}: {@code CAMEL_SSL_CONFIG_TRUSTMANAGERS_KEYSTORE_PASSWORD} as much as
     * {@code camel.ssl.config.key-managers.key-password}.
     */
    static boolean isPasswordKey(String relaxedKey) {
        return relaxedKey.startsWith("camelssl") && relaxedKey.endsWith("password");
    }

    /**
     * Whether a value holds one of the passwords bound under {@code camel.ssl} now: the configprops report names a
     * property by its own name only, a placeholder's environment variable has a name of the application's choosing,
     * and a password given on the command line or in JAVA_TOOL_OPTIONS is part of a longer value.
     */
    boolean holdsBoundPassword(String value) {
        CamelSSLConfigurationProperties bound = properties.getIfAvailable();
        return bound != null && passwords(bound).stream().anyMatch(value::contains);
    }

    private static List<String> passwords(CamelSSLConfigurationProperties bound) {
        List<String> passwords = new ArrayList<>(6);
        SSLContextParameters config = bound.getConfig();
        if (config != null) {
            add(passwords, config.getKeyManagers());
            add(passwords, config.getTrustManagers());
        }
        add(passwords, bound.getKeyManagers());
        add(passwords, bound.getTrustManagers());
        return passwords;
    }

    private static void add(List<String> passwords, KeyManagersParameters keyManagers) {
        if (keyManagers != null) {
            add(passwords, keyManagers.getKeyPassword());
            add(passwords, keyManagers.getKeyStore());
        }
    }

    private static void add(List<String> passwords, TrustManagersParameters trustManagers) {
        if (trustManagers != null) {
            add(passwords, trustManagers.getKeyStore());
        }
    }

    private static void add(List<String> passwords, KeyStoreParameters keyStore) {
        if (keyStore != null) {
            add(passwords, keyStore.getPassword());
        }
    }

    private static void add(List<String> passwords, String password) {
        if (password != null && !password.isEmpty()) {
            passwords.add(password);
        }
    }
}
