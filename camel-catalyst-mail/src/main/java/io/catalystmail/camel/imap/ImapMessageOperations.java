package io.catalystmail.camel.imap;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;

import io.catalystmail.camel.mailbox.MailboxLimits;
import io.catalystmail.camel.mailbox.SearchKey;

/**
 * The message-level commands of RFC 3501 §6.4 in the folder selected on one {@link ImapConnection}, all by UID:
 * UID SEARCH (with ESEARCH, RFC 4731), UID FETCH, UID STORE, UID COPY, UID MOVE (RFC 6851, else COPY + \Deleted +
 * UID EXPUNGE) and UID EXPUNGE (RFC 4315). Commands are built completely before anything is sent, so bad input
 * (an empty UID set, a flag with a space) changes nothing on the server. A UID set longer than
 * {@link UidSet#MAX_SET_OCTETS} goes out as several commands of one piece each, in ascending UID order; if one is
 * refused, the pieces before it stay done and the error says so. Not thread-safe, like the connection.
 */
public final class ImapMessageOperations {

    /** Most UIDs of a COPYUID answer expanded into a list: past this, the ranges are too many to be useful. */
    static final int MAX_COPYUID_UIDS = 100_000;

    private final ImapConnection connection;

    public ImapMessageOperations(ImapConnection connection) {
        this.connection = connection;
    }

    /** How STORE changes flags (RFC 3501 §6.4.6): add to them, remove from them, or replace them. */
    public enum StoreMode {
        ADD("+FLAGS"), REMOVE("-FLAGS"), REPLACE("FLAGS");

        private final String item;

        StoreMode(String item) {
            this.item = item;
        }
    }

    /**
     * UID SEARCH with the criteria of {@code key}, then {@code extraKeys} as written (such as UNSEEN or
     * UNDELETED). With ESEARCH the answer is one compact set (RETURN (ALL)); CHARSET UTF-8 is named only when a
     * string is not ASCII. The result is bounded by {@link ImapLimits#maxSearchResults()} ranges.
     */
    public UidRanges search(SearchKey key, Instant now, String... extraKeys) throws IOException {
        return search(key, now, null, extraKeys);
    }

    /**
     * {@link #search}, its answer naming at most {@code bound.entries()} messages: one more fails the search at once
     * (the connection is dropped), naming {@code bound.why()}. Null: not bounded.
     */
    UidRanges search(SearchKey key, Instant now, AnswerSize bound, String... extraKeys) throws IOException {
        boolean esearch = connection.capabilities().has("ESEARCH");
        ImapCommand command = new ImapCommand("UID SEARCH");
        if (bound != null) {
            command.boundSearchAnswer(bound.entries(), bound.why());
        }
        if (esearch) {
            command.raw("RETURN (ALL)"); // RFC 4731: one compact set instead of every UID spelt out
        }
        if (SearchCriteria.needsUtf8(key)) {
            command.raw("CHARSET UTF-8");
        }
        SearchCriteria.append(command, key, now);
        for (String extra : extraKeys) {
            command.raw(extra);
        }
        String tag = connection.send(command);
        UidRanges[] fromSearch = new UidRanges[1];
        // ESEARCH sets are read as they come, not kept: a server may send such lines without end
        UidRanges esearched = new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        ImapProtocolException[] unusable = new ImapProtocolException[1];
        ImapResponse done = connection.await(tag, r -> {
            if (r.isUntagged("SEARCH") && !r.values().isEmpty() && r.values().get(0) instanceof UidRanges found) {
                // the reader gives each SEARCH line its own ranges; a server may split the answer over lines
                if (fromSearch[0] == null) {
                    fromSearch[0] = found;
                } else {
                    fromSearch[0].addAll(found);
                }
            } else if (r.isUntagged("ESEARCH") && unusable[0] == null) {
                try {
                    readEsearch(r.values(), tag, esearched);
                } catch (ImapProtocolException e) {
                    unusable[0] = e; // named once the answer is read whole, the connection in step
                }
            }
        }, null);
        if (!done.isOk()) {
            throw ImapCommandException.answered(connection, command.name(), done);
        }
        if (unusable[0] != null) {
            throw ImapProtocolException.inAnswer(connection, command.name(), unusable[0]);
        }
        UidRanges uids = fromSearch[0] != null ? fromSearch[0] : esearched;
        if (uids != esearched) {
            uids.addAll(esearched);
        }
        return uids;
    }

    /** The most entries a SEARCH answer may name, and why, for the error. */
    record AnswerSize(long entries, String why) {

        /**
         * No more messages than the folder holds, the last EXISTS, plus maxListedMessages for mail that arrived
         * meanwhile (a server may announce it after the answer). An answer without end is cut there instead of read
         * until fetchTimeout. The EXISTS is the server's word too: a hostile {@code * 4294967295 EXISTS} would make
         * the bound useless, so it is believed only so far ({@link MailboxLimits#mostMessagesBelieved}). A folder
         * beyond that on a server without ESEARCH (whose answer is one compact set, not counted here) needs a larger
         * maxListedMessages or a narrower search.
         */
        static AnswerSize ofFolder(ImapConnection connection, MailboxLimits limits) {
            int max = limits.maxListedMessages();
            return ofFolder(connection, limits.mostMessagesBelieved(), MailboxLimits.BELIEVED, max,
                    "maxListedMessages=" + max);
        }

        /**
         * As {@link #ofFolder(ImapConnection, MailboxLimits)} for a mailbox operation's search, with the consumer's
         * default limits: the EXISTS believed up to {@link MailboxLimits#MESSAGES_ALWAYS_BELIEVED}, and the default
         * maxListedMessages for mail that arrived since the connection's last EXISTS. Not the most the search takes:
         * a pooled connection keeps its folder selected between exchanges (no NOOP within
         * {@link ImapConnection#OK_STANDS_FOR_NOOP}), and a server may name the mail that arrived meanwhile in the
         * SEARCH answer and announce it by EXISTS only after (RFC 3501 §7.3.1; GreenMail does), so a burst of more
         * than a fetch's maxMessagesPerPoll failed the exchange as an answer without end.
         */
        static AnswerSize ofFolder(ImapConnection connection) {
            int arriving = MailboxLimits.DEFAULT.maxListedMessages();
            return ofFolder(connection, MailboxLimits.DEFAULT.mostMessagesBelieved(),
                    "believed up to " + MailboxLimits.DEFAULT.mostMessagesBelieved(), arriving,
                    arriving + " (the consumer's default maxListedMessages)");
        }

        private static AnswerSize ofFolder(ImapConnection connection, long mostBelieved, String believedWhy,
                long arriving, String arrivingWhy) {
            long exists = Math.max(0, connection.exists());
            long believed = Math.min(exists, mostBelieved);
            String folder = believed == exists ? "the " + exists + " the folder holds (EXISTS)"
                    : "the " + believed + " the folder is believed to hold (it said " + exists + " EXISTS; "
                      + believedWhy + ")";
            return new AnswerSize(believed + arriving, folder + " plus " + arrivingWhy
                    + " for mail arriving meanwhile");
        }
    }

    /** {@code * ESEARCH (TAG "A5") UID ALL 1:3,5} (RFC 4731); other tags' answers and other items are ignored. */
    private static void readEsearch(List<Object> values, String tag, UidRanges uids) throws ImapProtocolException {
        int i = 0;
        if (!values.isEmpty() && values.get(0) instanceof List<?> correlator) {
            if (correlator.size() != 2 || !tag.equals(ImapValues.text(correlator.get(1)))) {
                return;
            }
            i++;
        }
        if (i < values.size() && "UID".equalsIgnoreCase(String.valueOf(values.get(i)))) {
            i++;
        }
        for (; i + 1 < values.size(); i += 2) {
            if ("ALL".equalsIgnoreCase(String.valueOf(values.get(i)))) {
                UidSet.parseInto(ImapValues.text(values.get(i + 1)), uids);
            }
        }
    }

    /** The UIDs a search found, ascending, at most {@code max} of {@code total}. */
    public record Found(List<Long> uids, long total) {
    }

    /**
     * {@link #search} in the selected folder, its result as at most {@code max} UIDs, lowest first. The answer may
     * name no more messages than the folder holds plus those that may have arrived since
     * ({@link AnswerSize#ofFolder(ImapConnection)}): one without end is cut there instead of read until the
     * operation's deadline.
     */
    public Found searchUids(SearchKey key, Instant now, int max, String... extraKeys) throws IOException {
        UidRanges found = search(key, now, AnswerSize.ofFolder(connection), extraKeys);
        return new Found(found.first(max, false), found.size());
    }

    /**
     * UID FETCH of {@code items} (such as {@code (UID FLAGS RFC822.SIZE)}), each answer for one of {@code uids}
     * handed to {@code each}; body literals stream to {@code bodies} when it is not null.
     */
    public void fetch(Collection<Long> uids, String items, Consumer<FetchData> each,
            ImapResponseReader.BodyConsumer bodies) throws IOException {
        Set<Long> asked = Set.copyOf(uids);
        List<ImapCommand> commands = new ArrayList<>();
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            commands.add(new ImapCommand("UID FETCH").raw(piece.set()).raw(items));
        }
        executeAll(commands, r -> {
            if (r.isUntagged("FETCH") && asked.contains(r.fetch().uid())) {
                each.accept(r.fetch());
            }
        }, bodies);
    }

    /**
     * Runs the commands of one operation's pieces one after the other, each answered before the next goes out. A
     * refusal of a later piece names which, and that those before it were carried out: the caller cannot undo them.
     */
    private void executeAll(List<ImapCommand> commands, Consumer<ImapResponse> untagged,
            ImapResponseReader.BodyConsumer bodies) throws IOException {
        for (int i = 0; i < commands.size(); i++) {
            executePart(commands, i, untagged, bodies);
        }
    }

    private ImapResponse executePart(List<ImapCommand> commands, int i, Consumer<ImapResponse> untagged,
            ImapResponseReader.BodyConsumer bodies) throws IOException {
        try {
            return connection.execute(commands.get(i), untagged, bodies);
        } catch (ImapCommandException refused) {
            if (i == 0) {
                throw refused;
            }
            throw new ImapCommandException(refused.server(), refused.command() + " (part " + (i + 1) + " of "
                    + commands.size() + " of a long UID set; the " + i + " part(s) before it were carried out)",
                    refused.status(), refused.serverText(), refused.code());
        }
    }

    /**
     * Which of {@code uids} are larger than {@code octets}: UID SEARCH UID set LARGER n (RFC 3501 §6.4.4), one short
     * answer (usually empty) instead of every message's size, so a message above a size limit is known before it is
     * fetched.
     */
    public Found larger(Collection<Long> uids, long octets) throws IOException {
        return among(uids, "LARGER " + octets);
    }

    /**
     * Which of {@code uids} carry \Seen: UID SEARCH UID set SEEN (RFC 3501 §6.4.4), one short answer, so an action
     * owed for messages processed before is not sent again where the server shows it done.
     */
    public Found seen(Collection<Long> uids) throws IOException {
        return among(uids, "SEEN");
    }

    /** Which of {@code uids} match the search key {@code criterion}, a set's piece per UID SEARCH. */
    private Found among(Collection<Long> uids, String criterion) throws IOException {
        // the answer can only name messages of the set: one more entry is cut at once, not read until fetchTimeout
        UidRanges found = new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            int size = piece.uids().size();
            AnswerSize asked = new AnswerSize(size, "the " + size + " message(s) asked about");
            found.addAll(search(new SearchKey.All(), Instant.EPOCH, asked, "UID " + piece.set(), criterion));
        }
        return new Found(found.first(uids.size(), false), found.size());
    }

    /**
     * UID, INTERNALDATE, RFC822.SIZE and the Date header of each message, by UID (what a listing sorts by). A Date
     * answer beyond {@link HeaderFieldAnswers#MAX_OCTETS} is left out (the sent date is then the INTERNALDATE); one
     * far beyond it costs the connection and fails the listing, naming the server, the command, the size and, by
     * {@code identityOf}, the message.
     */
    public Map<Long, FetchData> listingData(List<Long> uids, LongFunction<String> identityOf) throws IOException {
        String items = "(UID INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE)])";
        return fetchByUid(uids, items, HeaderFieldAnswers.bounded(connection, "UID FETCH " + items, identityOf));
    }

    /** UID, INTERNALDATE and RFC822.SIZE of each message, by UID: a listing's order without the Date header. */
    public Map<Long, FetchData> arrivalData(List<Long> uids) throws IOException {
        return fetchByUid(uids, "(UID INTERNALDATE RFC822.SIZE)", null);
    }

    /** UID and RFC822.SIZE of each message, by UID: no header is asked for where only sizes count. */
    public Map<Long, FetchData> sizes(List<Long> uids) throws IOException {
        return fetchByUid(uids, "(UID RFC822.SIZE)", null);
    }

    private Map<Long, FetchData> fetchByUid(List<Long> uids, String items, ImapResponseReader.BodyConsumer bodies)
            throws IOException {
        Map<Long, FetchData> meta = new HashMap<>();
        if (!uids.isEmpty()) {
            fetch(uids, items, d -> meta.put(d.uid(), d), bodies);
        }
        return meta;
    }

    /**
     * The UID STORE command of {@link #store} for one piece of its set ({@link UidSet#pieces}), for a caller that
     * pipelines the pieces.
     */
    static ImapCommand storeCommand(UidSet.Piece piece, StoreMode mode, Collection<String> flags) {
        return new ImapCommand("UID STORE").raw(piece.set()).raw(mode.item + ".SILENT")
                .raw(MessageFlags.list(flags));
    }

    /** UID STORE ... FLAGS.SILENT (RFC 3501 §6.4.6): adds, removes or replaces flags and keywords. */
    public void store(Collection<Long> uids, StoreMode mode, Collection<String> flags) throws IOException {
        executeAll(storeCommands(uids, mode, flags), null, null);
    }

    private static List<ImapCommand> storeCommands(Collection<Long> uids, StoreMode mode, Collection<String> flags) {
        List<ImapCommand> commands = new ArrayList<>();
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            commands.add(storeCommand(piece, mode, flags));
        }
        return commands;
    }

    /** UIDs the server gave copies or moved messages in the target folder (COPYUID, RFC 4315 §3); -1 without UIDPLUS. */
    public record Copied(long uidValidity, List<Long> sourceUids, List<Long> targetUids) {
        static final Copied UNKNOWN = new Copied(-1, List.of(), List.of());
    }

    /** UID COPY (§6.4.7). */
    public Copied copy(Collection<Long> uids, String target) throws IOException {
        return copyOrMove(uids, target, "UID COPY");
    }

    /**
     * UID COPY or UID MOVE of each piece of {@code uids}; the COPYUID data of all pieces together. A piece answered
     * without it copied nothing (Dovecot leaves it out when every UID of the piece is gone) and adds nothing;
     * {@link Copied#UNKNOWN} when no piece's answer has it, or two disagree on the UIDVALIDITY.
     */
    private Copied copyOrMove(Collection<Long> uids, String target, String name) throws IOException {
        List<ImapCommand> commands = new ArrayList<>();
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            commands.add(copyOrMoveCommand(name, piece, target));
        }
        ResponseCode[] copyUid = { null };
        Consumer<ImapResponse> untagged = r -> {
            // a MOVE reports COPYUID in an untagged OK before the tagged one (RFC 6851 §4.3)
            if (r.isUntagged("OK") && r.code() != null && r.code().name().equals("COPYUID")) {
                copyUid[0] = r.code();
            }
        };
        long uidValidity = -1;
        List<Long> sources = new ArrayList<>();
        List<Long> targets = new ArrayList<>();
        boolean agree = true;
        for (int i = 0; i < commands.size(); i++) {
            copyUid[0] = null;
            ImapResponse done = executePart(commands, i, untagged, null);
            Copied part = copied(copyUid[0] != null ? copyUid[0] : done.code());
            if (part.uidValidity() < 0) {
                continue;
            }
            agree &= uidValidity < 0 || uidValidity == part.uidValidity();
            uidValidity = part.uidValidity();
            sources.addAll(part.sourceUids());
            targets.addAll(part.targetUids());
        }
        return agree && uidValidity >= 0 ? new Copied(uidValidity, sources, targets) : Copied.UNKNOWN;
    }

    /** The UID COPY command of {@link #copy} for one piece of its set, for a caller that pipelines the pieces. */
    static ImapCommand copyCommand(UidSet.Piece piece, String target) {
        return copyOrMoveCommand("UID COPY", piece, target);
    }

    /**
     * UID MOVE (RFC 6851) when the server offers MOVE, else UID COPY then {@link #move}'s fallback: the command for
     * one piece of the set, for a caller that pipelines the pieces.
     */
    static ImapCommand moveCommand(UidSet.Piece piece, String target, Capabilities caps) {
        return copyOrMoveCommand(caps.has("MOVE") ? "UID MOVE" : "UID COPY", piece, target);
    }

    private static ImapCommand copyOrMoveCommand(String name, UidSet.Piece piece, String target) {
        return new ImapCommand(name).raw(piece.set()).mailbox(target);
    }

    /** What {@link #move} did: the COPYUID data, and whether the originals are gone (false: flagged \Deleted only). */
    public record Moved(Copied copied, boolean expunged) {
    }

    /**
     * Moves messages: UID MOVE with MOVE (RFC 6851); else UID COPY, \Deleted on the originals and UID EXPUNGE of
     * exactly them (UIDPLUS). A server with neither leaves the originals flagged \Deleted: a plain EXPUNGE would also
     * remove what other clients flagged, so it is not sent ({@link Moved#expunged()} is false).
     */
    public Moved move(Collection<Long> uids, String target) throws IOException {
        Capabilities caps = connection.capabilities();
        // built before anything is sent: a flag or UID set that is refused here changes nothing
        List<ImapCommand> flags = caps.has("MOVE") ? List.of()
                : storeCommands(uids, StoreMode.ADD, List.of("\\Deleted"));
        Copied copied = copyOrMove(uids, target, caps.has("MOVE") ? "UID MOVE" : "UID COPY");
        if (caps.has("MOVE")) {
            return new Moved(copied, true);
        }
        executeAll(flags, null, null);
        return new Moved(copied, expunge(uids));
    }

    /**
     * UID EXPUNGE of exactly {@code uids} (RFC 4315 §2.1), which must be flagged \Deleted already; without UIDPLUS
     * nothing is sent, as a plain EXPUNGE would also remove what other clients flagged.
     *
     * @return whether the server was asked to expunge them
     */
    public boolean expunge(Collection<Long> uids) throws IOException {
        if (!connection.capabilities().has("UIDPLUS")) {
            return false;
        }
        List<ImapCommand> commands = new ArrayList<>();
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            commands.add(new ImapCommand("UID EXPUNGE").raw(piece.set()));
        }
        executeAll(commands, null, null);
        return true;
    }

    /** EXPUNGE (§6.4.3): removes every message of the selected folder flagged \Deleted, by anyone. */
    public void expungeAll() throws IOException {
        connection.execute(new ImapCommand("EXPUNGE"), null, null);
    }

    private static Copied copied(ResponseCode code) {
        if (code == null || !code.name().equals("COPYUID") || code.args().size() < 3) {
            return Copied.UNKNOWN;
        }
        try {
            return new Copied(code.number(0), expand(code.args().get(1)), expand(code.args().get(2)));
        } catch (ImapProtocolException e) {
            return Copied.UNKNOWN;
        }
    }

    private static List<Long> expand(Object set) throws ImapProtocolException {
        UidRanges ranges = new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        UidSet.parseInto(ImapValues.text(set), ranges);
        return ranges.first(MAX_COPYUID_UIDS, false);
    }

    /** Parses a UID set as users write it ("4", "1:3,7"); refuses anything else, and the wildcard. */
    public static List<Long> parseUids(String text, int max) {
        UidRanges ranges = new UidRanges(ImapLimits.DEFAULT.maxSearchResults());
        UidSet.parseInto(text.strip(), ranges);
        if (ranges.invalid() > 0 || ranges.size() == 0) {
            throw new IllegalArgumentException("'" + (text.length() > 80 ? text.substring(0, 80) + "..." : text)
                    + "' is not a set of UIDs such as 4 or 1:3,7");
        }
        if (ranges.size() > max) {
            throw new IllegalArgumentException("the UID set '" + text + "' names " + ranges.size()
                    + " messages, more than " + max + " in one operation");
        }
        return ranges.first(max, false);
    }
}
