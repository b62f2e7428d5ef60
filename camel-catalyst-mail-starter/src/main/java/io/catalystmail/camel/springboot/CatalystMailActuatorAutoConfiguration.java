package io.catalystmail.camel.springboot;

import org.apache.camel.spring.boot.security.CamelSSLConfigurationProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the component's secrets and the passwords of Camel's global TLS settings ({@code camel.ssl}) out of the
 * actuator's {@code env} and {@code configprops} endpoints; active only when the application has the actuator.
 */
@AutoConfiguration
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
public class CatalystMailActuatorAutoConfiguration {

    @Bean
    public CatalystMailSecretSanitizer catalystMailSecretSanitizer(
            ObjectProvider<CatalystMailComponentConfiguration> configuration,
            ObjectProvider<CamelSSLConfigurationProperties> tlsProperties) {
        return new CatalystMailSecretSanitizer(configuration, tlsProperties);
    }
}
