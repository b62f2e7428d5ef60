package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns folder names as users write them (moveTo=Archive, folder=Projects/2026) into the server's mailbox names.
 * Cyrus and Courier keep personal folders under {@code INBOX.} with {@code .} as hierarchy delimiter, Dovecot
 * under no prefix with {@code /} or {@code .}, James under no prefix with {@code .}. Mature clients ask: the personal
 * namespace from NAMESPACE (RFC 2342 §5), or without it the delimiter from {@code LIST "" ""} (RFC 3501 §6.3.8).
 * <p>
 * Rules, in order: INBOX (any case) is INBOX; a name that starts with the personal prefix or with another
 * namespace's prefix (other users, shared folders) is fully qualified and kept as given; otherwise {@code /}, which
 * separates levels in our options, becomes the server's delimiter, and the personal prefix is put in front unless the
 * name now starts with it ({@code INBOX/Archive} on Cyrus). Folder auto-creation must
 * CREATE the {@link #resolve resolved} name.
 */
public final class MailboxNames {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxNames.class);

    /** Namespaces a server may list per kind; more are ignored (the response itself is bounded by ImapLimits). */
    private static final int MAX_NAMESPACES = 32;

    /** No prefix, {@code /} as delimiter: names are used as given. */
    public static final MailboxNames AS_GIVEN = new MailboxNames("", '/', List.of());

    private final String personalPrefix;
    /** The hierarchy delimiter, or 0 for a flat server (NIL). */
    private final char delimiter;
    private final List<String> otherPrefixes;

    private MailboxNames(String personalPrefix, char delimiter, List<String> otherPrefixes) {
        this.personalPrefix = personalPrefix;
        this.delimiter = delimiter;
        this.otherPrefixes = otherPrefixes;
    }

    /**
     * @param personalPrefix the personal namespace's prefix ("" for none), as the server spells it (decoded)
     * @param delimiter      the hierarchy delimiter, 0 for none
     * @param otherPrefixes  prefixes of the other users' and shared namespaces
     */
    public static MailboxNames of(String personalPrefix, char delimiter, List<String> otherPrefixes) {
        String personal = personalPrefix == null ? "" : personalPrefix;
        if (!personal.isEmpty() && delimiter != 0 && personal.charAt(personal.length() - 1) != delimiter) {
            // RFC 2342 §3 prefixes normally end in the delimiter; "INBOX" alone must not swallow "INBOXES"
            personal = personal + delimiter;
        }
        return new MailboxNames(personal, delimiter,
                otherPrefixes.stream().filter(p -> p != null && !p.isEmpty()).toList());
    }

    /**
     * Asks an authenticated connection: NAMESPACE when the server offers it, else {@code LIST "" ""} for the
     * delimiter alone. A server that refuses both gets names as given.
     */
    public static MailboxNames discover(ImapConnection connection) throws IOException {
        if (connection.capabilities().has("NAMESPACE")) {
            List<ImapResponse> answers = new ArrayList<>();
            try {
                connection.execute(new ImapCommand("NAMESPACE"), r -> {
                    if (r.isUntagged("NAMESPACE")) {
                        answers.add(r);
                    }
                }, null);
                if (!answers.isEmpty()) {
                    return fromNamespace(answers.get(0).values());
                }
            } catch (ImapProtocolException unusable) {
                throw ImapProtocolException.inAnswer(connection, "NAMESPACE", unusable);
            } catch (ImapCommandException refused) {
                LOG.debug("{} refused NAMESPACE ({}); asking LIST for the delimiter", connection.settings().describe(),
                        refused.getMessage());
            }
        }
        List<ImapResponse> lists = new ArrayList<>();
        try {
            connection.execute(new ImapCommand("LIST").string("").string(""), r -> {
                if (r.isUntagged("LIST")) {
                    lists.add(r);
                }
            }, null);
        } catch (ImapCommandException refused) {
            LOG.debug("{} refused LIST \"\" \"\" ({}); folder names are used as given",
                    connection.settings().describe(), refused.getMessage());
            return AS_GIVEN;
        }
        if (lists.isEmpty() || lists.get(0).values().size() < 2) {
            return AS_GIVEN;
        }
        try {
            return new MailboxNames("", delimiterOf(lists.get(0).values().get(1)), List.of());
        } catch (ImapProtocolException unusable) {
            throw ImapProtocolException.inAnswer(connection, "LIST", unusable);
        }
    }

    /** RFC 2342 §5: {@code NAMESPACE personal other-users shared}, each NIL or a list of (prefix delimiter ...). */
    static MailboxNames fromNamespace(List<Object> values) throws ImapProtocolException {
        if (values.size() < 3) {
            throw new ImapProtocolException("NAMESPACE response with " + values.size() + " parts instead of 3");
        }
        String personal = "";
        char delimiter = '/';
        boolean personalSeen = false;
        List<String> others = new ArrayList<>();
        for (int kind = 0; kind < 3; kind++) {
            if (values.get(kind) == null) {
                continue;
            }
            List<?> namespaces = ImapValues.list(values.get(kind));
            for (int i = 0; i < Math.min(namespaces.size(), MAX_NAMESPACES); i++) {
                List<?> namespace = ImapValues.list(namespaces.get(i));
                if (namespace.size() < 2) {
                    throw new ImapProtocolException("NAMESPACE entry without a delimiter");
                }
                String prefix = decodedPrefix(namespace.get(0));
                if (kind == 0 && !personalSeen) {
                    // the first personal namespace is where a client puts new folders (RFC 2342 §4)
                    personal = prefix;
                    delimiter = delimiterOf(namespace.get(1));
                    personalSeen = true;
                } else {
                    others.add(prefix);
                }
            }
        }
        return of(personal, delimiter, others);
    }

    private static String decodedPrefix(Object value) throws ImapProtocolException {
        String text = ImapValues.text(value);
        if (text == null) {
            throw new ImapProtocolException("NAMESPACE entry with a NIL prefix");
        }
        try {
            return ModifiedUtf7.decode(text);
        } catch (IllegalArgumentException e) {
            throw new ImapProtocolException("NAMESPACE prefix " + ImapValues.describe(value) + ": " + e.getMessage());
        }
    }

    private static char delimiterOf(Object value) throws ImapProtocolException {
        String text = ImapValues.text(value);
        if (text == null) {
            return 0;
        }
        if (text.length() != 1) {
            throw new ImapProtocolException("hierarchy delimiter " + ImapValues.describe(value) + " is not one character");
        }
        return text.charAt(0);
    }

    /** The server's mailbox name for a folder name from our options or headers; null stays null. */
    public String resolve(String name) {
        if (name == null || name.equalsIgnoreCase("INBOX")) {
            return name == null ? null : "INBOX";
        }
        if (qualified(name)) {
            return name;
        }
        String mapped = delimiter != 0 && delimiter != '/' ? name.replace('/', delimiter) : name;
        return personalPrefix.isEmpty() || qualified(mapped) ? mapped : personalPrefix + mapped;
    }

    private boolean qualified(String name) {
        if (!personalPrefix.isEmpty() && startsWith(name, personalPrefix)) {
            return true;
        }
        for (String other : otherPrefixes) {
            if (startsWith(name, other)) {
                return true;
            }
        }
        return false;
    }

    /** The personal namespace's prefix, "" when there is none. */
    public String personalPrefix() {
        return personalPrefix;
    }

    /** The hierarchy delimiter, 0 when the server has none. */
    public char delimiter() {
        return delimiter;
    }

    /** INBOX is case-insensitive (RFC 3501 §5.1), the rest of a prefix is not. */
    private static boolean startsWith(String name, String prefix) {
        if (prefix.length() >= 5 && prefix.regionMatches(true, 0, "INBOX", 0, 5)) {
            return name.length() >= prefix.length() && name.regionMatches(true, 0, prefix, 0, 5)
                    && name.startsWith(prefix.substring(5), 5);
        }
        return name.startsWith(prefix);
    }

    @Override
    public String toString() {
        return "personal prefix '" + personalPrefix + "', delimiter '" + (delimiter == 0 ? "NIL" : delimiter) + "'";
    }
}
