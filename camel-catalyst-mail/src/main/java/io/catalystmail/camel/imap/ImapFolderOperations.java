package io.catalystmail.camel.imap;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The folder-level commands of RFC 3501 on one authenticated {@link ImapConnection}: SELECT and EXAMINE, STATUS,
 * LIST and LSUB, CREATE, DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, APPEND, CHECK and CLOSE, and special-use discovery
 * (RFC 6154). Names are the server's mailbox names (see {@link MailboxNames#resolve}), written in modified UTF-7 by
 * {@link ImapCommand#mailbox} and decoded from it in answers. A refusal (NO, BAD) is an {@link ImapCommandException}
 * carrying the server's text. The message-level commands of the selected folder are {@link ImapMessageOperations}.
 * Not thread-safe, like the connection.
 */
public final class ImapFolderOperations {

    private static final Logger LOG = LoggerFactory.getLogger(ImapFolderOperations.class);

    /** Most folders one LIST or LSUB answer is read into; the rest are skipped (and logged). */
    public static final int MAX_FOLDERS = 10_000;

    /**
     * Most characters of names and attributes one LIST or LSUB answer is read into, all its folders together:
     * {@link #MAX_FOLDERS} folders of hundreds of characters fit, while entries of a megabyte each (the reader bounds
     * one response, not an answer of many) would otherwise keep gigabytes before the count is reached.
     */
    public static final long MAX_FOLDER_CHARS = 16L << 20;

    /** RFC 3501 §9 date-time for APPEND: "dd-MMM-yyyy HH:mm:ss +zzzz". */
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z",
            Locale.ENGLISH);

    private final ImapConnection connection;
    private FolderState selected;

    public ImapFolderOperations(ImapConnection connection) {
        this.connection = connection;
    }

    /** The folder SELECT or EXAMINE opened last, null when none is (or CLOSE closed it). */
    public FolderState selected() {
        return selected;
    }

    /** SELECT: opens the folder read-write (RFC 3501 §6.3.1). */
    public FolderState select(String folder) throws IOException {
        return open("SELECT", folder);
    }

    /** EXAMINE: opens the folder read-only, so nothing done in it changes flags, not even \Recent (§6.3.2). */
    public FolderState examine(String folder) throws IOException {
        return open("EXAMINE", folder);
    }

    private FolderState open(String command, String folder) throws IOException {
        selected = null; // a failed SELECT leaves no folder selected (RFC 3501 §6.3.1)
        long[] exists = { 0 };
        long[] uidValidity = { -1 };
        Object[] uidValiditySent = { null };
        long[] uidNext = { -1 };
        Set<String> flags = new HashSet<>();
        Set<String> permanentFlags = new HashSet<>();
        boolean[] permanentFlagsSent = { false };
        ImapResponse done = connection.execute(new ImapCommand(command).mailbox(folder), r -> {
            if (r.isUntagged("EXISTS")) {
                exists[0] = r.number();
            } else if (r.code() != null && r.code().name().equals("UIDVALIDITY")) {
                uidValidity[0] = number(r.code());
                uidValiditySent[0] = r.code().args().isEmpty() ? "" : r.code().args().get(0);
            } else if (r.code() != null && r.code().name().equals("UIDNEXT")) {
                uidNext[0] = number(r.code());
            } else if (r.isUntagged("FLAGS") && !r.values().isEmpty()) {
                // each FLAGS response names the whole set (§7.2.6): the last one stands, so a server repeating the
                // response without end cannot make the set grow
                flags.clear();
                flags.addAll(flagList(r.values().get(0)));
            } else if (r.code() != null && r.code().name().equals("PERMANENTFLAGS") && !r.code().args().isEmpty()) {
                permanentFlags.clear();
                permanentFlags.addAll(flagList(r.code().args().get(0)));
                permanentFlagsSent[0] = true;
            }
        }, null);
        // RFC 3501 §9: "UIDVALIDITY" SP nz-number, a non-zero 32-bit number; the idempotent keys are built on it
        if (uidValidity[0] <= 0 || uidValidity[0] > 0xFFFF_FFFFL) {
            throw new ImapProtocolException("IMAP server " + connection.settings().describe() + " answered " + command
                    + " " + folder + (uidValiditySent[0] == null ? " without UIDVALIDITY"
                            : " with an unusable UIDVALIDITY " + ImapValues.describe(uidValiditySent[0])
                              + " (RFC 3501 §9: a non-zero 32-bit number)"));
        }
        boolean readOnly = command.equals("EXAMINE")
                || done.code() != null && done.code().name().equals("READ-ONLY");
        selected = new FolderState(folder, exists[0], uidValidity[0], uidNext[0], readOnly, Set.copyOf(flags),
                permanentFlagsSent[0] ? Set.copyOf(permanentFlags) : null);
        return selected;
    }

    /** The atoms of a parenthesised flag list ({@code \Seen $Label \*}); anything else is left out. */
    private static Set<String> flagList(Object list) {
        Set<String> flags = new HashSet<>();
        if (list instanceof List<?> items) {
            for (Object item : items) {
                if (item instanceof String atom) {
                    flags.add(atom);
                }
            }
        }
        return Set.copyOf(flags);
    }

    private static long number(ResponseCode code) {
        try {
            return code.number(0);
        } catch (ImapProtocolException e) {
            return -1;
        }
    }

    /**
     * STATUS (RFC 3501 §6.3.10) of MESSAGES, UNSEEN, UIDNEXT, UIDVALIDITY, RECENT (IMAP4rev1 only: IMAP4rev2 dropped
     * it) and, with CONDSTORE, HIGHESTMODSEQ (RFC 7162 §3.1.6). Items the server leaves out are absent.
     */
    public Map<String, Long> status(String folder) throws IOException {
        Capabilities caps = connection.capabilities();
        List<String> items = new ArrayList<>(List.of("MESSAGES", "UNSEEN", "UIDNEXT", "UIDVALIDITY"));
        if (caps.has("IMAP4rev1") || !caps.has("IMAP4rev2")) {
            items.add("RECENT");
        }
        if (caps.has("CONDSTORE")) {
            items.add("HIGHESTMODSEQ");
        }
        Map<String, Long> status = new LinkedHashMap<>();
        connection.execute(new ImapCommand("STATUS").mailbox(folder).raw("(" + String.join(" ", items) + ")"), r -> {
            // * STATUS name (MESSAGES 3 UNSEEN 1 ...): the name may be any astring, the list comes last; only the
            // items asked for are kept, so items the server adds, without end or not, cannot make the map grow;
            // an answer for another mailbox (unsolicited with NOTIFY, RFC 5465 §5.3) is not this one's
            if (r.isUntagged("STATUS") && r.values().size() >= 2 && r.values().get(r.values().size() - 1)
                    instanceof List<?> pairs && namesFolder(r.values().get(0), folder)) {
                for (int i = 0; i + 1 < pairs.size(); i += 2) {
                    String item = String.valueOf(pairs.get(i)).toUpperCase(Locale.ROOT);
                    if (!items.contains(item)) {
                        continue;
                    }
                    try {
                        status.put(item, ImapValues.number(pairs.get(i + 1)));
                    } catch (ImapProtocolException e) {
                        LOG.debug("STATUS item {} without a number: {}", pairs.get(i), e.getMessage());
                    }
                }
            }
        }, null);
        return status;
    }

    /** Whether a STATUS answer's mailbox name is {@code folder}; INBOX in any case (RFC 3501 §5.1). */
    private static boolean namesFolder(Object name, String folder) {
        try {
            String answered = ModifiedUtf7.decode(ImapValues.text(name));
            boolean inbox = answered.equalsIgnoreCase("INBOX") && folder.equalsIgnoreCase("INBOX");
            if (inbox || answered.equals(folder)) {
                return true;
            }
            LOG.debug("STATUS answer for {} while {} was asked for: left out", answered, folder);
        } catch (ImapProtocolException e) {
            LOG.debug("STATUS answer without a mailbox name: left out ({})", e.getMessage());
        }
        return false;
    }

    /** LIST (RFC 3501 §6.3.8); with SPECIAL-USE and LIST-EXTENDED the special uses are asked for (RFC 6154 §5.1). */
    public List<MailFolder> list(String reference, String pattern) throws IOException {
        ImapCommand command = new ImapCommand("LIST").mailbox(reference).mailbox(pattern);
        Capabilities caps = connection.capabilities();
        if (caps.has("SPECIAL-USE") && caps.has("LIST-EXTENDED")) {
            command.raw("RETURN (SPECIAL-USE)");
        }
        return folders(command, "LIST");
    }

    /** LSUB (RFC 3501 §6.3.9): the subscribed folders matching the pattern. */
    public List<MailFolder> lsub(String reference, String pattern) throws IOException {
        return folders(new ImapCommand("LSUB").mailbox(reference).mailbox(pattern), "LSUB");
    }

    private List<MailFolder> folders(ImapCommand command, String type) throws IOException {
        List<MailFolder> folders = new ArrayList<>();
        int[] skipped = { 0 };
        long[] chars = { 0 };
        connection.execute(command, r -> {
            if (!r.isUntagged(type)) {
                return;
            }
            if (folders.size() >= MAX_FOLDERS || chars[0] >= MAX_FOLDER_CHARS) {
                skipped[0]++;
                return;
            }
            MailFolder folder = folder(r.values());
            if (folder != null) {
                folders.add(folder);
                chars[0] += chars(folder);
            }
        }, null);
        if (skipped[0] > 0) {
            LOG.warn("IMAP server {} listed {} more folders than the {} kept for {} (at most {} folders and {}"
                    + " characters of names and attributes)", connection.settings().describe(), skipped[0],
                    folders.size(), command.name(), MAX_FOLDERS, MAX_FOLDER_CHARS);
        }
        return folders;
    }

    /** What a folder kept from a LIST entry counts against {@link #MAX_FOLDER_CHARS}. */
    private static long chars(MailFolder folder) {
        long chars = folder.name().length() + (folder.delimiter() == null ? 0 : folder.delimiter().length());
        for (String attribute : folder.attributes()) {
            chars += attribute.length();
        }
        return chars;
    }

    /** {@code (\HasNoChildren \Sent) "/" name}; an entry that does not parse is skipped and logged. */
    private MailFolder folder(List<Object> values) {
        try {
            if (values.size() < 3) {
                throw new ImapProtocolException("LIST entry with " + values.size() + " parts instead of 3");
            }
            Set<String> attributes = new LinkedHashSet<>();
            for (Object a : ImapValues.list(values.get(0))) {
                attributes.add(ImapValues.text(a));
            }
            String name = ImapValues.text(values.get(2));
            if (name == null) {
                throw new ImapProtocolException("LIST entry with a NIL name");
            }
            return new MailFolder(ModifiedUtf7.decode(name), ImapValues.text(values.get(1)), attributes);
        } catch (ImapProtocolException | IllegalArgumentException e) {
            LOG.warn("IMAP server {} sent a LIST entry that is skipped: {}", connection.settings().describe(),
                    e.getMessage());
            return null;
        }
    }

    /**
     * The folder with a special-use attribute such as {@code \Sent} (RFC 6154): {@code LIST (SPECIAL-USE) "" "*"}
     * when the server offers SPECIAL-USE with LIST-EXTENDED, else every folder listed and its attributes looked at
     * (some servers show special uses in a plain LIST). The first match wins, as RFC 6154 §2 allows several.
     *
     * @throws MissingSpecialUseException when no folder has the attribute
     */
    public MailFolder specialUse(String attribute) throws IOException {
        String use = MailFolder.canonicalSpecialUse(attribute);
        Capabilities caps = connection.capabilities();
        boolean selectable = caps.has("SPECIAL-USE") && caps.has("LIST-EXTENDED");
        List<MailFolder> folders = selectable
                ? folders(new ImapCommand("LIST").raw("(SPECIAL-USE)").string("").string("*"), "LIST")
                : list("", "*");
        for (MailFolder folder : folders) {
            if (folder.has(use) && !folder.has("\\NoSelect") && !folder.has("\\NonExistent")) {
                return folder;
            }
        }
        throw new MissingSpecialUseException(connection.settings().describe(), use, caps.has("SPECIAL-USE"));
    }

    public void create(String folder) throws IOException {
        connection.execute(new ImapCommand("CREATE").mailbox(folder), null, null);
    }

    public void delete(String folder) throws IOException {
        if (selected != null && selected.name().equals(folder)) {
            selected = null;
        }
        connection.execute(new ImapCommand("DELETE").mailbox(folder), null, null);
    }

    /**
     * RENAME (§6.3.5); renaming INBOX moves its messages into a new folder and leaves INBOX empty. A selected folder
     * stays selected on the server under its new name, so it no longer counts as the one selected: the next
     * operation on the old name (a folder created with it since, or INBOX) selects that one instead of working on
     * the renamed folder's messages.
     */
    public void rename(String folder, String newName) throws IOException {
        if (selected != null && (selected.name().equals(folder) || selected.name().equals(newName))) {
            selected = null;
        }
        connection.execute(new ImapCommand("RENAME").mailbox(folder).mailbox(newName), null, null);
    }

    public void subscribe(String folder) throws IOException {
        connection.execute(new ImapCommand("SUBSCRIBE").mailbox(folder), null, null);
    }

    public void unsubscribe(String folder) throws IOException {
        connection.execute(new ImapCommand("UNSUBSCRIBE").mailbox(folder), null, null);
    }

    /**
     * The result of an APPEND: with UIDPLUS (RFC 4315 §3) the new message's UID and the folder's UIDVALIDITY, else -1.
     *
     * @param uidUnusable true when the server sent an APPENDUID that is not two non-zero numbers: the message is
     *                    stored all the same, its UID is unknown
     */
    public record Appended(long uidValidity, long uid, boolean uidUnusable) {

        static final Appended NO_UID = new Appended(-1, -1);

        public Appended(long uidValidity, long uid) {
            this(uidValidity, uid, false);
        }
    }

    /**
     * APPEND (§6.3.11): the message streams into the command as a literal, synchronizing unless the server offers
     * LITERAL+ (RFC 7888), so a refusal of its size (NO, or [TOOBIG]) comes before a byte of it is sent.
     *
     * @throws AppendOutcomeUnknownException when the message was written whole and the answer did not come: the
     *                                       server may have stored it
     *
     * @param flags        flags to set on the new message, checked by {@link MessageFlags}; may be empty
     * @param internalDate the INTERNALDATE to give it, null for the server's "now"
     */
    public Appended append(String folder, Collection<String> flags, Instant internalDate, LiteralContent message)
            throws IOException {
        ImapCommand command = new ImapCommand("APPEND").mailbox(folder);
        if (!flags.isEmpty()) {
            command.raw(MessageFlags.list(flags));
        }
        if (internalDate != null) {
            command.string(DATE_TIME.format(internalDate.atOffset(ZoneOffset.UTC)));
        }
        // a refusal of a synchronizing literal, or a failure while the message is written, stores nothing
        String tag = connection.send(command.literal(message));
        ImapResponse done;
        try {
            done = connection.await(tag, null, null); // NO and BAD are answers; what it throws is a BYE or a loss
        } catch (IOException lost) {
            throw new AppendOutcomeUnknownException("IMAP server " + connection.settings().describe(), folder, lost);
        }
        if (!done.isOk()) {
            throw ImapCommandException.answered(connection, "APPEND", done);
        }
        return appended(done.code());
    }

    /**
     * The tagged OK means the message is stored; APPENDUID only adds its UID (RFC 4315 §3). One that cannot be read
     * loses the UID, never the append: failing here would make a retrying route store the message twice.
     */
    private static Appended appended(ResponseCode code) {
        if (code == null || !code.name().equals("APPENDUID")) {
            return Appended.NO_UID;
        }
        try {
            long uidValidity = code.number(0);
            long uid = code.number(1);
            if (uidValidity > 0 && uid > 0) {
                return new Appended(uidValidity, uid);
            }
        } catch (ImapProtocolException e) {
            // not two numbers: reported below as unusable
        }
        return new Appended(-1, -1, true);
    }

    /**
     * CHECK (§6.4.1): a checkpoint of the selected folder. IMAP4rev2 (RFC 9051) dropped it; on a server that speaks
     * only IMAP4rev2 a NOOP is sent instead, which is what CHECK amounted to on most IMAP4rev1 servers too.
     *
     * @return the command sent
     */
    public String check() throws IOException {
        Capabilities caps = connection.capabilities();
        String command = caps.has("IMAP4rev2") && !caps.has("IMAP4rev1") ? "NOOP" : "CHECK";
        connection.execute(new ImapCommand(command), null, null);
        return command;
    }

    /**
     * CLOSE (§6.4.2): leaves the selected folder, expunging its \Deleted messages silently when it was opened
     * read-write (not after EXAMINE).
     */
    public void close() throws IOException {
        connection.execute(new ImapCommand("CLOSE"), null, null);
        selected = null;
    }

    /** NOOP: a round trip that shows the connection is alive and lets the server report changes. */
    public void noop() throws IOException {
        connection.execute(new ImapCommand("NOOP"), null, null);
    }

    public ImapConnection connection() {
        return connection;
    }
}
