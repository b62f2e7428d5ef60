package io.catalystmail.camel.pop3;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What a server announced in its CAPA response (RFC 2449 §5); empty when it does not know CAPA. */
final class Pop3Capabilities {

    static final Pop3Capabilities NONE = new Pop3Capabilities(Map.of());

    private final Map<String, List<String>> tags;

    private Pop3Capabilities(Map<String, List<String>> tags) {
        this.tags = tags;
    }

    static Pop3Capabilities parse(List<String> lines) {
        Map<String, List<String>> tags = new HashMap<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (!words[0].isEmpty()) {
                tags.put(words[0].toUpperCase(Locale.ROOT), Arrays.asList(words).subList(1, words.length));
            }
        }
        return new Pop3Capabilities(tags);
    }

    boolean has(String tag) {
        return tags.containsKey(tag);
    }

    /** RFC 2449 §6.6: the client may send several commands before reading the replies. */
    boolean pipelining() {
        return has("PIPELINING");
    }

    /** RFC 2595 §4: STLS upgrades the connection to TLS. */
    boolean stls() {
        return has("STLS");
    }

    /** SASL mechanisms for AUTH (RFC 5034 §3). */
    List<String> saslMechanisms() {
        return new ArrayList<>(tags.getOrDefault("SASL", List.of()));
    }

    @Override
    public String toString() {
        return tags.keySet().toString();
    }
}
