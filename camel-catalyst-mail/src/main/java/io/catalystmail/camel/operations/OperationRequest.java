package io.catalystmail.camel.operations;

import java.lang.reflect.Array;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.imap.ImapMessageOperations;
import io.catalystmail.camel.imap.ImapMessageOperations.StoreMode;
import io.catalystmail.camel.imap.MessageFlags;
import io.catalystmail.camel.mailbox.SearchFilter;
import org.apache.camel.Message;

/**
 * What one exchange asks an IMAP operations producer to do, read from the options and the CamelCatalystMail*
 * headers and checked completely before a connection is borrowed: a bad folder name, a missing UID set or a flag
 * with a space fails the exchange with nothing sent.
 *
 * @param search          what a search, or a fetch without UIDs, looks for; null for the other operations
 * @param searchSetAside  a fetch given UIDs and a search: it fetches the UIDs, and the search, not used, is not parsed
 */
record OperationRequest(MailboxOperation operation, String folder, String destination, List<Long> uids,
        UidsOrigin uidsOrigin, List<String> flags, StoreMode storeMode, SearchFilter search, boolean searchSetAside,
        String reference, String pattern, Instant internalDate, boolean streamed) {

    /** Most UIDs one exchange may name, and most messages one fetch maps. */
    static final int MAX_UIDS = 100_000;

    static OperationRequest of(MailboxOperation op, Message m, CatalystMailConfiguration c) {
        String folder = folderName(m.getHeader(CatalystMailConstants.OPERATION_FOLDER, c.getFolder(), String.class),
                "folder", op != MailboxOperation.LIST && op != MailboxOperation.LSUB);
        String destination = m.getHeader(CatalystMailConstants.DESTINATION, c.getDestination(), String.class);
        boolean needsDestination = op == MailboxOperation.RENAME || op == MailboxOperation.COPY
                || op == MailboxOperation.MOVE;
        if (needsDestination) {
            if (destination == null || destination.isBlank()) {
                throw new IllegalArgumentException(op.name().toLowerCase(Locale.ROOT) + " needs a destination folder:"
                        + " set the destination option or the " + CatalystMailConstants.DESTINATION + " header");
            }
            destination = folderName(destination, "destination", true);
        }
        List<Long> uids = uids(m.getHeader(CatalystMailConstants.UIDS));
        boolean needsUids = op == MailboxOperation.STORE || op == MailboxOperation.COPY || op == MailboxOperation.MOVE;
        if (needsUids && uids == null) {
            throw new IllegalArgumentException(op.name().toLowerCase(Locale.ROOT) + " needs the UIDs of the messages:"
                    + " set the " + CatalystMailConstants.UIDS + " header (e.g. 4 or 1:3,7)");
        }
        UidsOrigin origin = uids == null ? UidsOrigin.UNKNOWN
                : new UidsOrigin(m.getHeader(CatalystMailConstants.FOLDER, String.class),
                        m.getHeader(CatalystMailConstants.UID_VALIDITY, Long.class));
        List<String> flags = flags(m.getHeader(CatalystMailConstants.STORE_FLAGS, c.getFlags(), Object.class));
        StoreMode mode = storeMode(m.getHeader(CatalystMailConstants.STORE_MODE, c.getStoreMode(), String.class));
        if (op == MailboxOperation.STORE && flags.isEmpty() && mode != StoreMode.REPLACE) {
            throw new IllegalArgumentException("store needs flags: set the flags option or the "
                    + CatalystMailConstants.STORE_FLAGS + " header (e.g. \\Flagged $Label)");
        }
        SearchFilter search = null;
        String text = m.getHeader(CatalystMailConstants.SEARCH, c.getSearch(), String.class);
        if (op == MailboxOperation.SEARCH || op == MailboxOperation.FETCH && uids == null) {
            if (op == MailboxOperation.FETCH && (text == null || text.isBlank())) {
                throw new IllegalArgumentException("fetch needs the UIDs of the messages (" + CatalystMailConstants.UIDS
                        + " header) or a search (search option or " + CatalystMailConstants.SEARCH + " header)");
            }
            search = text == null || text.isBlank() ? SearchFilter.ALL : SearchFilter.parse(text);
        }
        boolean searchSetAside = op == MailboxOperation.FETCH && uids != null && text != null && !text.isBlank();
        String reference = m.getHeader(CatalystMailConstants.LIST_REFERENCE, "", String.class);
        String pattern = m.getHeader(CatalystMailConstants.LIST_PATTERN, "*", String.class);
        folderName(reference, "list reference", false);
        folderName(pattern, "list pattern", false);
        Instant internalDate = op == MailboxOperation.APPEND
                ? internalDate(m.getHeader(CatalystMailConstants.INTERNAL_DATE)) : null;
        boolean streamed = op == MailboxOperation.FETCH
                && streamed(m.getHeader(CatalystMailConstants.FETCH_AS, c.getFetchAs(), String.class));
        return new OperationRequest(op, folder, destination, uids, origin, flags, mode, search, searchSetAside,
                reference, pattern, internalDate, streamed);
    }

    /**
     * Refuses what cannot be a folder name: empty, control characters (CR, LF, NUL: an injection attempt, never a
     * name), and, where a real folder is meant, the LIST wildcards * and % (RFC 3501 §5.1: not in names).
     */
    static String folderName(String name, String what, boolean noWildcards) {
        if (name == null || (noWildcards && name.isBlank())) {
            throw new IllegalArgumentException("The " + what + " is empty: name a folder");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new IllegalArgumentException("The " + what + " contains a line break, NUL or other control"
                        + " character, which could inject IMAP commands; refusing it");
            }
            if (noWildcards && (ch == '*' || ch == '%')) {
                throw new IllegalArgumentException("The " + what + " '" + name + "' contains the LIST wildcard '" + ch
                        + "', which no folder name may contain (RFC 3501 5.1)");
            }
        }
        return name;
    }

    /** A UID set "4" or "1:3,7", a number, or a collection or array of numbers; null when absent. */
    static List<Long> uids(Object value) {
        if (value == null) {
            return null;
        }
        if (value.getClass().isArray()) {
            // long[] and Long[] are how Java code often holds UIDs; their toString() is no UID set
            List<Object> values = new ArrayList<>(Array.getLength(value));
            for (int i = 0; i < Array.getLength(value); i++) {
                values.add(Array.get(value, i));
            }
            return uids(values);
        }
        if (value instanceof Number n) {
            return ImapMessageOperations.parseUids(Long.toString(n.longValue()), MAX_UIDS);
        }
        if (value instanceof Collection<?> values) {
            if (values.isEmpty()) {
                throw new IllegalArgumentException("The " + CatalystMailConstants.UIDS + " header is an empty collection");
            }
            List<Long> uids = new ArrayList<>(values.size());
            for (Object v : values) {
                uids.addAll(uids(v));
            }
            if (uids.size() > MAX_UIDS) {
                throw new IllegalArgumentException("more than " + MAX_UIDS + " UIDs in one operation");
            }
            return uids;
        }
        String text = value.toString();
        if (text.isBlank()) {
            throw new IllegalArgumentException("The " + CatalystMailConstants.UIDS + " header is empty");
        }
        return ImapMessageOperations.parseUids(text, MAX_UIDS);
    }

    /**
     * The INTERNALDATE an append is given: an Instant (as the consumer sets it), a java.util.Date, a date-time with
     * an offset, or ISO-8601 text with an offset (what a YAML or XML route's setHeader gives). Anything else fails
     * the exchange: a message filed silently under the time of the append would lose the date the route meant.
     */
    static Instant internalDate(Object value) {
        if (value == null || value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        try {
            if (value instanceof TemporalAccessor temporal) {
                return Instant.from(temporal);
            }
            if (value instanceof CharSequence text) {
                return OffsetDateTime.parse(text.toString().strip()).toInstant();
            }
        } catch (DateTimeException e) {
            // named below with the value, which says more than the parser's position
        }
        throw new IllegalArgumentException("The " + CatalystMailConstants.INTERNAL_DATE + " header must be an Instant,"
                + " a java.util.Date, a date-time with an offset or ISO-8601 text such as 2026-12-01T10:15:30Z, not "
                + value.getClass().getSimpleName() + " '" + value + "'");
    }

    private static List<String> flags(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Collection<?> values) {
            return values.stream().map(v -> MessageFlags.check(String.valueOf(v))).toList();
        }
        return MessageFlags.parse(value.toString());
    }

    /** fetchAs: true for iterator (a streamed fetch), false for list. */
    private static boolean streamed(String fetchAs) {
        String as = fetchAs == null ? "list" : fetchAs.strip().toLowerCase(Locale.ROOT);
        if (!as.equals("list") && !as.equals("iterator")) {
            throw new IllegalArgumentException("fetchAs must be list or iterator, not '"
                    + (as.length() > 40 ? as.substring(0, 40) + "..." : as).replaceAll("\\p{Cntrl}", "?") + "'");
        }
        return as.equals("iterator");
    }

    private static StoreMode storeMode(String mode) {
        try {
            return StoreMode.valueOf(mode.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("storeMode must be add, remove or replace, not '" + mode + "'");
        }
    }
}
