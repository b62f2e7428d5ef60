package io.catalystmail.camel.springboot;

import java.beans.PropertyDescriptor;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * Stops the start on a key under {@code camel.component.catalystmail} that is no option when it comes from an
 * environment variable or a JVM system property. The configuration class refuses unknown keys, but Spring Boot leaves
 * these two sources out of that check (they hold much that is not meant for the application), so
 * {@code CAMEL_COMPONENT_CATALYSTMAIL_DELET=true}, a misspelt variable of a Kubernetes Secret, or
 * {@code -Dcamel.component.catalystmail.read-timout=5s} left the default in place unnoticed. The failure is the
 * one Spring Boot raises for the other sources, so {@link MisspeltKeyFailureAnalyzer} names the key and where it
 * was set, never its value.
 */
@AutoConfiguration
public class MisspeltEnvironmentKeys {

    private static final ConfigurationPropertyName PREFIX = ConfigurationPropertyName.of("camel.component.catalystmail");
    private static final Set<String> UNCHECKED_BY_SPRING = Set.of(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);

    public MisspeltEnvironmentKeys(ConfigurableEnvironment environment) {
        Set<String> options = options();
        Map<String, Set<String>> beans = beanOptions();
        Set<ConfigurationProperty> unknown = new LinkedHashSet<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (UNCHECKED_BY_SPRING.contains(source.getName())) {
                for (ConfigurationPropertySource properties : ConfigurationPropertySources.from(source)) {
                    unknown.addAll(unknownKeys(properties, options, beans));
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnboundConfigurationPropertiesException(unknown);
        }
    }

    private static Set<ConfigurationProperty> unknownKeys(ConfigurationPropertySource source, Set<String> options,
            Map<String, Set<String>> beans) {
        if (!(source instanceof IterableConfigurationPropertySource iterable)) {
            return Set.of();
        }
        return iterable.stream().filter(PREFIX::isAncestorOf).filter(name -> !options.contains(option(name, beans)))
                .map(source::getConfigurationProperty)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /**
     * The option a name under the prefix sets, relaxed. A name below an option whose value is a bean Spring Boot
     * creates and binds ({@code configuration.from}, {@code ssl-context-parameters.secure-socket-protocol}) sets that
     * option when the bean has a property of the next element's name; else the whole name is no option.
     */
    private static String option(ConfigurationPropertyName name, Map<String, Set<String>> beans) {
        ConfigurationPropertyName option = name.subName(PREFIX.getNumberOfElements());
        if (option.getNumberOfElements() > 1) {
            String first = relaxed(option.getElement(0, Form.UNIFORM));
            Set<String> properties = beans.get(first);
            if (properties != null && properties.contains(relaxed(option.getElement(1, Form.UNIFORM)))) {
                return first;
            }
        }
        return relaxed(option.toString());
    }

    /**
     * The options whose value Spring Boot can create and bind key by key (a class of our own or a library's with a
     * constructor without arguments, not an interface, a JDK type such as Duration, or an enum), each with the
     * relaxed names of its value's properties.
     */
    private static Map<String, Set<String>> beanOptions() {
        return Stream.of(BeanUtils.getPropertyDescriptors(CatalystMailComponentConfiguration.class))
                .filter(p -> p.getWriteMethod() != null && bindsKeyByKey(p.getPropertyType()))
                .collect(Collectors.toUnmodifiableMap(p -> relaxed(p.getName()), p -> writable(p.getPropertyType())));
    }

    private static Set<String> writable(Class<?> type) {
        return Stream.of(BeanUtils.getPropertyDescriptors(type)).filter(p -> p.getWriteMethod() != null)
                .map(p -> relaxed(p.getName())).collect(Collectors.toUnmodifiableSet());
    }

    private static boolean bindsKeyByKey(Class<?> type) {
        if (type.isInterface() || type.isPrimitive() || type.isEnum() || type.isArray()
            || type.getName().startsWith("java.")) {
            return false;
        }
        return Stream.of(type.getConstructors()).anyMatch(c -> c.getParameterCount() == 0);
    }

    /**
     * The options in the form every relaxed spelling shares, an environment variable's included: a variable names
     * {@code READTIMEOUT} or, in the legacy form Spring Boot still binds, {@code READ_TIMEOUT}, which it reads as two
     * elements, {@code read.timeout}.
     */
    private static Set<String> options() {
        Stream<String> properties = Stream.of(BeanUtils.getPropertyDescriptors(CatalystMailComponentConfiguration.class))
                .filter(p -> p.getWriteMethod() != null).map(PropertyDescriptor::getName);
        return Stream.concat(properties, Stream.of("customizer.enabled")).map(MisspeltEnvironmentKeys::relaxed)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static String relaxed(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }
}
