package io.catalystmail.camel;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.spi.UriParam;

/**
 * The endpoint options only a consumer reads, found from their {@link UriParam} labels (the catalog's source): those
 * labelled "consumer" and neither "producer" nor "common", such as delete, moveTo, unseen, the search filters and the
 * scheduled poll's delay. An SMTP endpoint only sends, so it reads none of them; camel-mail accepts them there without
 * a word, and a route that meant to delete or move something after sending would never learn that nothing of the kind
 * happens. The SMTP endpoint names them once, when it is created.
 */
final class ConsumerOnlyOptions {

    /** By lower-case name, the name as the catalog spells it. */
    private static final Map<String, String> NAMES = find(CatalystMailConfiguration.class, CatalystMailEndpoint.class);

    private ConsumerOnlyOptions() {
    }

    /** Those of {@code given} (option names as written in a URI, any case) that only a consumer reads, sorted. */
    static List<String> among(Collection<String> given) {
        return given.stream().map(name -> NAMES.get(name.toLowerCase(Locale.ROOT))).filter(name -> name != null)
                .sorted().toList();
    }

    private static Map<String, String> find(Class<?>... types) {
        Map<String, String> names = new TreeMap<>();
        for (Class<?> type : types) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    UriParam param = field.getAnnotation(UriParam.class);
                    if (param != null && consumerOnly(param.label())) {
                        String name = param.name().isEmpty() ? field.getName() : param.name();
                        names.put(name.toLowerCase(Locale.ROOT), name);
                    }
                }
            }
        }
        return names;
    }

    private static boolean consumerOnly(String label) {
        List<String> kinds = Arrays.stream(label.split(",")).map(String::strip).toList();
        return kinds.contains("consumer") && !kinds.contains("producer") && !kinds.contains("common");
    }
}
