package io.catalystmail.camel.springboot;

import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;

/**
 * Reports keys under {@code camel.component.catalystmail} that are no option (the configuration class refuses
 * unknown keys) by name and origin only. Spring Boot's own report of unbound properties prints each value, and a
 * misspelt {@code pasword} or {@code acces-token} would put the secret in the log; so this analyzer comes first and
 * never shows a value.
 */
public class MisspeltKeyFailureAnalyzer extends AbstractFailureAnalyzer<UnboundConfigurationPropertiesException>
        implements Ordered {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("camel.component.catalystmail");

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnboundConfigurationPropertiesException cause) {
        if (cause.getUnboundProperties().stream().noneMatch(p -> PREFIX.isAncestorOf(p.getName()))) {
            return null;
        }
        String keys = cause.getUnboundProperties().stream().map(MisspeltKeyFailureAnalyzer::describe)
                .collect(Collectors.joining("\n"));
        return new FailureAnalysis("camel.component.catalystmail has no option of these names (their values are not"
                + " shown: they may be secrets):\n" + keys,
                "Correct the key: the starter's spring-configuration-metadata.json (IDE completion) and the Spring Boot"
                        + " guide list every option; an option of an endpoint goes in the route's URI.", cause);
    }

    private static String describe(ConfigurationProperty property) {
        return "    " + property.getName() + (property.getOrigin() == null ? "" : " (" + property.getOrigin() + ")");
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
