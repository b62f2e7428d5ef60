package io.catalystmail.camel.imap;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** What the server announced in CAPABILITY (RFC 3501 §7.2.1), compared case-insensitively. */
public final class Capabilities {

    public static final Capabilities NONE = new Capabilities(Set.of());

    private final Set<String> names;

    private Capabilities(Set<String> names) {
        this.names = names;
    }

    /** From the values of a CAPABILITY response or code; non-atoms are ignored. */
    static Capabilities of(Collection<?> values) {
        Set<String> names = new LinkedHashSet<>();
        for (Object v : values) {
            if (v instanceof String s) {
                names.add(s.toUpperCase(Locale.ROOT));
            }
        }
        return new Capabilities(Collections.unmodifiableSet(names));
    }

    public boolean has(String name) {
        return names.contains(name.toUpperCase(Locale.ROOT));
    }

    public boolean isEmpty() {
        return names.isEmpty();
    }

    /** The SASL mechanisms from the AUTH=... entries. */
    public List<String> authMechanisms() {
        List<String> mechanisms = new ArrayList<>();
        for (String n : names) {
            if (n.startsWith("AUTH=")) {
                mechanisms.add(n.substring(5));
            }
        }
        return mechanisms;
    }

    /**
     * Whether a literal of {@code length} octets may be sent without waiting for a continuation: always with
     * LITERAL+, up to 4096 octets with LITERAL- (RFC 7888).
     */
    boolean nonSynchronizingLiteral(long length) {
        return has("LITERAL+") || has("LITERAL-") && length <= 4096;
    }

    @Override
    public String toString() {
        return String.join(" ", names);
    }
}
