package io.catalystmail.camel;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Refuses an option given more than once in an endpoint URI, naming it. Camel's query parser turns
 * {@code delay=5s&delay=6s} into a list, and binding that list then fails with "No type converter available to convert
 * from type: java.util.ArrayList to the required type: java.time.Duration", which says nothing of the cause; a text
 * option takes the list's text instead, without a word: {@code to=a@example.org&to=b@example.org} sends to
 * "[a@example.org" and "b@example.org]", {@code folder=A&folder=B} polls a folder named "[A, B]". camel-mail 4.18,
 * on the same core, does both (its {@code folderName=A&folderName=B} is the folder "[A, B]"). No option of this
 * component takes several values that way: a list goes in one value. Two spellings of one name are one option to
 * Camel's binding, the last silently winning, so they count as a repetition too.
 */
final class RepeatedOptions {

    /** The options (lower case) whose value is a list of addresses: their repetition gets the hint. */
    private static final Set<String> RECIPIENTS = Set.of("to", "cc", "bcc", "replyto");

    private RepeatedOptions() {
    }

    /**
     * @param parameters the endpoint's options as Camel parsed them from the URI, a repeated one as a list
     * @param secret     the options (lower case) whose values are never shown
     * @throws IllegalArgumentException naming the first option given more than once, in any spelling of its name
     *                                  (Camel binds {@code Folder=A&folder=B} as one option, the last value
     *                                  silently winning), how often, and unless secret its values
     */
    static void refuse(Map<String, Object> parameters, Set<String> secret) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (Map.Entry<String, Object> option : parameters.entrySet()) {
            List<String> each = given.computeIfAbsent(option.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>());
            if (option.getValue() instanceof Collection<?> values) {
                values.forEach(v -> each.add(option.getKey() + "=" + v));
            } else {
                each.add(option.getKey() + "=" + option.getValue());
            }
        }
        for (Map.Entry<String, List<String>> option : given.entrySet()) {
            List<String> each = option.getValue();
            if (each.size() > 1) {
                String name = each.get(0).substring(0, each.get(0).indexOf('='));
                String shown = secret.contains(option.getKey()) ? "" : " (" + String.join(", ", each) + ")";
                throw new IllegalArgumentException("The option " + name + " is given " + each.size()
                        + " times in the endpoint URI" + shown + ": give it once" + (RECIPIENTS.contains(option.getKey())
                        ? ". Several recipients go in one value, separated by commas (to=a@example.org,b@example.org)"
                        : ""));
            }
        }
    }
}
