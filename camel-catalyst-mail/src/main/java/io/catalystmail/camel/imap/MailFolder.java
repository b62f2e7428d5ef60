package io.catalystmail.camel.imap;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One folder as LIST or LSUB describes it (RFC 3501 §7.2.2): its name decoded from modified UTF-7, the hierarchy
 * delimiter (null on a flat server) and its attributes, among them the special uses of RFC 6154 ({@code \Sent},
 * {@code \Trash}, {@code \Archive}, {@code \Drafts}, {@code \Junk}, {@code \All}, {@code \Flagged}). The name is
 * the server's full name, levels joined by the delimiter ({@code Archive.2026}), as Jakarta Mail's
 * {@code Folder.getFullName()}; any folder option takes it as it is.
 */
public record MailFolder(String name, String delimiter, Set<String> attributes) {

    /** The special-use attributes of RFC 6154 §2. */
    public static final List<String> SPECIAL_USES =
            List.of("\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash");

    public MailFolder {
        attributes = Set.copyOf(attributes);
    }

    /** True when the folder carries {@code attribute}; attributes compare case-insensitively (RFC 3501 §7.2.2). */
    public boolean has(String attribute) {
        return attributes.stream().anyMatch(a -> a.equalsIgnoreCase(attribute));
    }

    /** The folder's special use, such as {@code \Sent}, or null when it has none. */
    public String specialUse() {
        for (String use : SPECIAL_USES) {
            if (has(use)) {
                return use;
            }
        }
        return null;
    }

    /** True for names such as {@code \Sent}: a special-use attribute standing for the folder that has it. */
    public static boolean isSpecialUse(String name) {
        return name != null && name.startsWith("\\")
                && SPECIAL_USES.stream().anyMatch(u -> u.equalsIgnoreCase(name.strip()));
    }

    static String canonicalSpecialUse(String name) {
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return SPECIAL_USES.stream().filter(u -> u.toLowerCase(Locale.ROOT).equals(wanted)).findFirst().orElse(name);
    }
}
