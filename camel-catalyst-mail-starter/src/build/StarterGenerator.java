import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;

/**
 * Writes the Spring Boot starter of a Camel component from the component's catalog JSON, the way camel-spring-boot's
 * own (unpublished) generator writes Camel's starters: a {@code ...ComponentConfiguration} bound to
 * {@code camel.component.SCHEME.*} with one property per component option, a {@code ...ComponentConverter} for
 * bean references ({@code #name} or {@code #bean:name}), a {@code ...ComponentAutoConfiguration} registering a
 * {@code ComponentCustomizer}, {@code AutoConfiguration.imports} and {@code spring-configuration-metadata.json}.
 * Nothing here names an option: everything comes from the catalog, so options added or retyped in the component
 * reach the starter on the next build.
 *
 * <p>Run as a single-file program by the starter's build:
 * {@code java -cp CLASSPATH StarterGenerator.java SCHEME SOURCES_DIR RESOURCES_DIR [EXTRA_AUTO_CONFIGURATION...]}.
 */
public class StarterGenerator {

    private static final String STARTER_BASE = "org.apache.camel.spring.boot.";
    private static final Set<String> VALUE_TYPES_WITHOUT_CONVERTER = Set.of("java.lang.", "java.util.", "java.time.");

    public static void main(String[] args) throws Exception {
        String scheme = args[0];
        Path sources = Path.of(args[1]);
        Path resources = Path.of(args[2]);
        List<String> extraAutoConfigurations = List.of(args).subList(3, args.length);

        String componentClass = componentClass(scheme);
        JsonObject catalog = catalog(componentClass, scheme);
        Starter starter = new Starter(scheme, componentClass, catalog);

        Path packageDir = sources.resolve(starter.packageName.replace('.', '/'));
        Files.createDirectories(packageDir);
        write(packageDir.resolve(starter.configurationName + ".java"), starter.configurationSource());
        write(packageDir.resolve(starter.converterName + ".java"), starter.converterSource());
        write(packageDir.resolve(starter.autoConfigurationName + ".java"), starter.autoConfigurationSource());

        Path springDir = resources.resolve("META-INF/spring");
        Files.createDirectories(springDir);
        List<String> imports = new ArrayList<>();
        imports.add(starter.packageName + "." + starter.converterName);
        imports.add(starter.packageName + "." + starter.autoConfigurationName);
        imports.addAll(extraAutoConfigurations);
        write(springDir.resolve("org.springframework.boot.autoconfigure.AutoConfiguration.imports"),
                String.join("\n", imports) + "\n");
        write(resources.resolve("META-INF/spring-configuration-metadata.json"), starter.metadataJson());
    }

    private static String componentClass(String scheme) throws IOException {
        String path = "META-INF/services/org/apache/camel/component/" + scheme;
        try (InputStream in = StarterGenerator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException(path + " is not on the classpath: build the component first");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("class");
        }
    }

    private static JsonObject catalog(String componentClass, String scheme) throws Exception {
        String path = "META-INF/" + componentClass.substring(0, componentClass.lastIndexOf('.')).replace('.', '/')
                      + "/" + scheme + ".json";
        try (InputStream in = StarterGenerator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("catalog JSON " + path + " is not on the classpath");
            }
            return (JsonObject) Jsoner.deserialize(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
    }

    /** Writes only when the content changed, so an unchanged build does not recompile the starter. */
    private static void write(Path file, String content) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(content)) {
            return;
        }
        Files.writeString(file, content);
    }

    /** One component option as the starter exposes it. */
    record Option(String name, JsonObject catalog) {

        String propertyName() {
            return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        }

        String catalogType() {
            return catalog.getString("type");
        }

        String javaType() {
            return catalog.getString("javaType");
        }

        boolean secret() {
            return Boolean.TRUE.equals(catalog.getBoolean("secret"));
        }

        boolean deprecated() {
            return Boolean.TRUE.equals(catalog.getBoolean("deprecated"));
        }

        String description() {
            return catalog.getStringOrDefault("description", "");
        }

        Object defaultValue() {
            return catalog.get("defaultValue");
        }

        List<String> enumValues() {
            JsonArray values = (JsonArray) catalog.get("enum");
            return values == null ? List.of() : values.stream().map(String::valueOf).toList();
        }

        /**
         * The property's Java type in the starter: wrappers (null means "not set": the component's own default
         * stays), {@code java.time.Duration} for Camel's duration options so that {@code 30s} binds, the option's
         * own type otherwise.
         */
        String fieldType() {
            String javaType = javaType();
            switch (catalogType()) {
                case "duration":
                    return "java.time.Duration";
                case "boolean":
                    return "java.lang.Boolean";
                case "integer":
                case "number":
                    return switch (javaType) {
                        case "int" -> "java.lang.Integer";
                        case "long" -> "java.lang.Long";
                        case "short" -> "java.lang.Short";
                        case "byte" -> "java.lang.Byte";
                        case "double" -> "java.lang.Double";
                        case "float" -> "java.lang.Float";
                        default -> javaType;
                    };
                default:
                    return javaType.equals("char") ? "java.lang.Character" : javaType;
            }
        }

        /** The type a bean reference converts to, or null when Spring's own conversion covers it. */
        String beanReferenceType() {
            if (!catalogType().equals("object")) {
                return null;
            }
            String erased = javaType().replaceAll("<.*", "");
            return VALUE_TYPES_WITHOUT_CONVERTER.stream().anyMatch(erased::startsWith) ? null : erased;
        }

        /** The default as the metadata shows it: typed, durations in Spring's notation. */
        Object metadataDefault() {
            Object value = defaultValue();
            if (value == null) {
                return null;
            }
            String text = String.valueOf(value);
            return switch (catalogType()) {
                case "boolean" -> Boolean.valueOf(text);
                case "integer" -> Long.valueOf(text);
                case "number" -> Double.valueOf(text);
                case "duration" -> text.chars().allMatch(Character::isDigit) ? millisAsDuration(Long.parseLong(text)) : text;
                default -> text;
            };
        }

        private static String millisAsDuration(long millis) {
            return millis % 1000 == 0 && millis != 0 ? (millis / 1000) + "s" : millis + "ms";
        }
    }

    /** The starter's classes and metadata for one component. */
    static final class Starter {
        final String scheme;
        final String componentClass;
        final String packageName;
        final String configurationName;
        final String converterName;
        final String autoConfigurationName;
        final String description;
        final List<Option> options = new ArrayList<>();

        Starter(String scheme, String componentClass, JsonObject catalog) {
            this.scheme = scheme;
            this.componentClass = componentClass;
            String simpleName = componentClass.substring(componentClass.lastIndexOf('.') + 1);
            String base = simpleName.endsWith("Component") ? simpleName : simpleName + "Component";
            this.packageName = componentClass.substring(0, componentClass.lastIndexOf('.')) + ".springboot";
            this.configurationName = base + "Configuration";
            this.converterName = base + "Converter";
            this.autoConfigurationName = base + "AutoConfiguration";
            JsonObject component = catalog.getMap("component");
            this.description = component.getString("description");
            JsonObject properties = catalog.getMap("componentProperties");
            properties.forEach((name, option) -> options.add(new Option(name, (JsonObject) option)));
        }

        String prefix() {
            return "camel.component." + scheme;
        }

        String configurationSource() {
            StringBuilder sb = header();
            sb.append("import org.apache.camel.spring.boot.ComponentConfigurationPropertiesCommon;\n");
            sb.append("import org.springframework.boot.context.properties.ConfigurationProperties;\n\n");
            sb.append(javadoc("", description + "\n\nGenerated by StarterGenerator from the catalog JSON of "
                                  + componentClass + ": do not edit."));
            // ignoreUnknownFields = false: a misspelt key (read-timout, delte) fails the start and Spring Boot's
            // failure analysis names it, where Camel's own starters ignore it and the component's default applies
            // silently: for a mail consumer that may mean keeping or deleting mail the user meant otherwise.
            sb.append("@ConfigurationProperties(prefix = \"").append(prefix())
                    .append("\", ignoreUnknownFields = false)\n");
            sb.append("public class ").append(configurationName)
                    .append(" extends ComponentConfigurationPropertiesCommon {\n\n");
            String secrets = options.stream().filter(Option::secret)
                    .map(o -> "\"" + o.propertyName() + "\"").collect(Collectors.joining(", "));
            sb.append(javadoc("    ", "The options the catalog marks secret, as property names under "
                                      + prefix() + "."));
            sb.append("    public static final java.util.Set<String> SECRET_PROPERTIES = java.util.Set.of(")
                    .append(secrets).append(");\n\n");
            sb.append(javadoc("    ", "Whether to enable auto configuration of the " + scheme
                                      + " component. This is enabled by default."));
            sb.append("    private Boolean enabled;\n\n");
            for (Option option : options) {
                if (option.deprecated()) {
                    sb.append("    @Deprecated\n");
                }
                sb.append(javadoc("    ", option.description()));
                sb.append("    private ").append(option.fieldType()).append(' ').append(option.name()).append(";\n\n");
            }
            accessors(sb, "java.lang.Boolean", "enabled", false);
            for (Option option : options) {
                accessors(sb, option.fieldType(), option.name(), option.beanReferenceType() != null);
            }
            return sb.append("}\n").toString();
        }

        String converterSource() {
            List<String> types = options.stream().map(Option::beanReferenceType).filter(t -> t != null)
                    .distinct().toList();
            StringBuilder sb = header();
            sb.append("import java.util.LinkedHashSet;\nimport java.util.Set;\n\n");
            sb.append("import org.springframework.beans.factory.annotation.Autowired;\n");
            sb.append("import org.springframework.boot.context.properties.ConfigurationPropertiesBinding;\n");
            sb.append("import org.springframework.context.ApplicationContext;\n");
            sb.append("import org.springframework.context.annotation.Configuration;\n");
            sb.append("import org.springframework.core.convert.TypeDescriptor;\n");
            sb.append("import org.springframework.core.convert.converter.GenericConverter;\n");
            sb.append("import org.springframework.stereotype.Component;\n\n");
            sb.append(javadoc("", "Binds the bean-typed options of " + prefix() + " from a bean reference, "
                                  + "{@code #name} or {@code #bean:name}, as Camel's own starters do.\n\n"
                                  + "Generated by StarterGenerator: do not edit."));
            sb.append("@Configuration(proxyBeanMethods = false)\n@ConfigurationPropertiesBinding\n@Component\n");
            sb.append("public class ").append(converterName).append(" implements GenericConverter {\n\n");
            sb.append("    @Autowired\n    private ApplicationContext applicationContext;\n\n");
            sb.append("    @Override\n    public Set<ConvertiblePair> getConvertibleTypes() {\n");
            sb.append("        Set<ConvertiblePair> pairs = new LinkedHashSet<>();\n");
            for (String type : types) {
                sb.append("        pairs.add(new ConvertiblePair(String.class, ").append(type).append(".class));\n");
            }
            sb.append("        return pairs;\n    }\n\n");
            sb.append("    @Override\n    public Object convert(Object source, TypeDescriptor sourceType, TypeDescriptor targetType) {\n");
            sb.append("        if (source == null) {\n            return null;\n        }\n");
            sb.append("        String reference = source.toString();\n");
            sb.append("        if (!reference.startsWith(\"#\")) {\n");
            sb.append("            throw new IllegalArgumentException(\"'\" + reference + \"' is not a bean reference: \"\n");
            sb.append("                    + \"write #beanName or #bean:beanName to bind a \" + targetType.getName());\n");
            sb.append("        }\n");
            sb.append("        String name = reference.startsWith(\"#bean:\") ? reference.substring(6) : reference.substring(1);\n");
            sb.append("        return applicationContext.getBean(name, targetType.getType());\n    }\n}\n");
            return sb.toString();
        }

        String autoConfigurationSource() {
            StringBuilder sb = header();
            for (String type : List.of("org.apache.camel.CamelContext", "org.apache.camel.Component",
                    "org.apache.camel.spi.ComponentCustomizer", STARTER_BASE + "CamelAutoConfiguration",
                    STARTER_BASE + "ComponentConfigurationProperties", STARTER_BASE + "util.CamelPropertiesHelper",
                    STARTER_BASE + "util.ConditionalOnCamelContextAndAutoConfigurationBeans",
                    STARTER_BASE + "util.ConditionalOnHierarchicalProperties",
                    STARTER_BASE + "util.HierarchicalPropertiesEvaluator",
                    "org.slf4j.Logger", "org.slf4j.LoggerFactory",
                    "org.springframework.boot.autoconfigure.AutoConfiguration",
                    "org.springframework.boot.context.properties.EnableConfigurationProperties",
                    "org.springframework.context.ApplicationContext", "org.springframework.context.annotation.Bean",
                    "org.springframework.context.annotation.Conditional",
                    "org.springframework.context.annotation.Lazy")) {
                sb.append("import ").append(type).append(";\n");
            }
            sb.append('\n');
            sb.append(javadoc("", "Configures the " + scheme + " component from " + prefix()
                                  + ".*: a ComponentCustomizer copies every property that is set onto the "
                                  + "component Camel creates. It leaves alone a component the application defines "
                                  + "as a bean of its own, and is off with " + prefix()
                                  + ".customizer.enabled=false.\n\nGenerated by StarterGenerator: do not edit."));
            sb.append("@AutoConfiguration(after = {CamelAutoConfiguration.class, ").append(converterName)
                    .append(".class})\n");
            sb.append("@Conditional(ConditionalOnCamelContextAndAutoConfigurationBeans.class)\n");
            sb.append("@EnableConfigurationProperties({ComponentConfigurationProperties.class, ")
                    .append(configurationName).append(".class})\n");
            sb.append("@ConditionalOnHierarchicalProperties({\"camel.component\", \"").append(prefix())
                    .append("\"})\n");
            sb.append("public class ").append(autoConfigurationName).append(" {\n\n");
            sb.append("    private static final Logger LOG = LoggerFactory.getLogger(").append(autoConfigurationName)
                    .append(".class);\n\n");
            sb.append("    @Lazy\n    @Bean\n    public ComponentCustomizer configure")
                    .append(componentClass.substring(componentClass.lastIndexOf('.') + 1))
                    .append("(CamelContext camelContext, ApplicationContext applicationContext, ")
                    .append(configurationName).append(" configuration) {\n");
            sb.append("        return new ComponentCustomizer() {\n");
            sb.append("            @Override\n            public void configure(String name, Component target) {\n");
            sb.append("                CamelPropertiesHelper.copyProperties(camelContext, configuration, target);\n");
            sb.append("            }\n\n");
            sb.append("            @Override\n            public boolean isEnabled(String name, Component target) {\n");
            sb.append("                if (!(target instanceof ").append(componentClass).append(")\n");
            sb.append("                        || !HierarchicalPropertiesEvaluator.evaluate(applicationContext,\n");
            sb.append("                                \"camel.component.customizer\", \"").append(prefix())
                    .append(".customizer\")) {\n");
            sb.append("                    return false;\n                }\n");
            sb.append("                if (applicationContext.containsBean(name)) {\n");
            sb.append("                    LOG.info(\"Component '{}' is a bean of the application: ").append(prefix())
                    .append(".* not applied to it\", name);\n");
            sb.append("                    return false;\n                }\n");
            sb.append("                return true;\n            }\n        };\n    }\n}\n");
            return sb.toString();
        }

        String metadataJson() {
            String configurationClass = packageName + "." + configurationName;
            String customizerClass = STARTER_BASE + "ComponentConfigurationPropertiesCommon$CustomizerProperties";
            JsonArray groups = new JsonArray();
            groups.add(entry("name", prefix(), "type", configurationClass, "sourceType", configurationClass));
            groups.add(entry("name", prefix() + ".customizer", "type", customizerClass, "sourceType",
                    configurationClass, "sourceMethod", "getCustomizer()"));
            JsonArray properties = new JsonArray();
            properties.add(entry("name", prefix() + ".customizer.enabled", "type", "java.lang.Boolean",
                    "description", "Whether the " + prefix() + ".* properties are applied to the component "
                                   + "(camel.component.customizer.enabled applies to every component).",
                    "sourceType", customizerClass));
            properties.add(entry("name", prefix() + ".enabled", "type", "java.lang.Boolean", "description",
                    "Whether to enable auto configuration of the " + scheme + " component. This is enabled by "
                    + "default.", "sourceType", configurationClass));
            JsonArray hints = new JsonArray();
            for (Option option : options) {
                JsonObject property = entry("name", prefix() + "." + option.propertyName(), "type",
                        option.fieldType(), "description", option.description(), "sourceType", configurationClass);
                if (option.metadataDefault() != null) {
                    property.put("defaultValue", option.metadataDefault());
                }
                if (option.deprecated()) {
                    property.put("deprecated", true);
                }
                properties.add(property);
                if (!option.enumValues().isEmpty()) {
                    JsonArray values = new JsonArray();
                    option.enumValues().forEach(v -> values.add(entry("value", v)));
                    hints.add(entry("name", prefix() + "." + option.propertyName(), "values", values));
                }
            }
            JsonObject metadata = entry("groups", groups, "properties", properties, "hints", hints);
            return Jsoner.prettyPrint(Jsoner.serialize(metadata), 2) + "\n";
        }

        private StringBuilder header() {
            return new StringBuilder("package ").append(packageName).append(";\n\n");
        }

        /**
         * @param beanReference whether the property holds a bean of the application: its getter is hidden from
         *                      /actuator/configprops (Jackson's {@code @JsonIgnore}, which the report honours on Boot 3
         *                      and 4), which would otherwise list the bean's insides: the keys an idempotent
         *                      repository holds, the password a {@code configuration} bean carries, or nothing at all
         *                      for the component when a bean cannot be serialised (an SSLContextParameters). The
         *                      reference itself ({@code #mailTls}) stays visible in /actuator/env.
         */
        private static void accessors(StringBuilder sb, String type, String name, boolean beanReference) {
            String suffix = Character.toUpperCase(name.charAt(0)) + name.substring(1);
            if (beanReference) {
                sb.append("    @com.fasterxml.jackson.annotation.JsonIgnore\n");
            }
            sb.append("    public ").append(type).append(" get").append(suffix).append("() {\n");
            sb.append("        return ").append(name).append(";\n    }\n\n");
            sb.append("    public void set").append(suffix).append('(').append(type).append(' ').append(name)
                    .append(") {\n        this.").append(name).append(" = ").append(name).append(";\n    }\n\n");
        }

        private static String javadoc(String indent, String text) {
            String escaped = text.replace("*/", "*&#47;");
            StringBuilder sb = new StringBuilder(indent).append("/**\n");
            for (String line : escaped.split("\n", -1)) {
                sb.append(indent).append(line.isEmpty() ? " *" : " * " + line).append('\n');
            }
            return sb.append(indent).append(" */\n").toString();
        }

        private static JsonObject entry(Object... keysAndValues) {
            JsonObject object = new JsonObject();
            for (int i = 0; i < keysAndValues.length; i += 2) {
                object.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
            return object;
        }
    }
}
