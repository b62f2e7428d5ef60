package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.catalystmail.camel.imap.ImapMessageOperations.StoreMode;

/**
 * The deletions of an {@link ImapMailboxSession}'s folder: flagged \Deleted at once, expunged in batches.
 * <p>
 * The flag, which keeps a routed message from being routed again (the listing asks for UNDELETED), goes out round by
 * round and is answered before the next round is routed. Nobody awaits the expunge's answer, and a poll of up to
 * {@value #EXPUNGE_BATCH} deletions sends one, at its end ({@link #expungeAwaiting}), as a plain FETCH, STORE,
 * EXPUNGE client does. An expunge in the middle of a poll gains nothing on Dovecot: its imap process serves one
 * connection on one thread and streams nothing while it expunges, so the FETCH in front of the expunge is answered
 * only once it is done, and the poll stands still that long anyway (protocol log of a settled benchmark poll of 1,000
 * in rounds of 50, servers on an ext4 image without discard: each of the three rounds with an expunge of 250-300
 * behind its FETCH took 14-16 ms instead of 5-6, the expunges 10-13 ms of Dovecot's time each and 8 ms for the 201
 * at the end, 52 ms in a poll of 188, where the wire's one expunge of 1,000 took 25 ms; with one at the end, 29 ms
 * in a poll of 252 at load 6; benchmarks/poll-timeline.py). On the shared disk mounted with discard the same holds:
 * four expunges 108 and 214 ms of Dovecot's time per poll, one 81 and 97 ms (load 2-3). Only a poll larger than a
 * batch ({@link #batchFor}) expunges in its middle, so the UIDs awaiting do not grow with the poll: once a batch of
 * flags is answered it goes out behind the next FETCH put on the wire, never beside a flag whose answer the route
 * awaits (Dovecot answers a command only once those beside it are done, {@link HeldCommands}).
 * <p>
 * An expunge names only messages whose flag the server has answered: its result depends on the STORE's, and RFC 3501
 * §5.5 forbids pipelining such a pair, as a server may run pipelined commands side by side. Dovecot does so with UID
 * commands: a UID EXPUNGE sent right behind the UID STORE of the same UIDs, while a FETCH was still streaming,
 * answered OK and removed nothing (the benchmark's polls left 100 messages flagged). A connection lost
 * before the expunge leaves the messages flagged, which keeps them out of every later list; the next session of the
 * same {@link PendingExpunges} expunges them, and so does {@link #expungeFlagged} on any node that finds them in its
 * idempotent repository.
 * <p>
 * UID EXPUNGE (RFC 4315 §2.1) removes exactly the UIDs given. Without UIDPLUS only plain EXPUNGE (RFC 3501 §6.4.3)
 * exists, and it also removes messages another client marked \Deleted in this folder: there is no way around that on
 * such servers, so only this session's own batches use it.
 * <p>
 * Measured against Dovecot and left out: expunging on a second connection while this one fetches (Dovecot locks the
 * folder for an expunge, so the fetching connection waited anyway and polls got slower; a probe of 500 fetched
 * beside 500 expunged, benchmarks/dovecot-command-cost.py, saw a fetch round wait for the whole expunge in 3 of 6
 * runs; the pair beat the two one after the other in 5 of 6, at load 7-10, where the disk's noise is as large. A
 * poll's largest expunge comes at its end, with nothing left to fetch beside it).
 */
final class BatchedExpunge {

    /**
     * Flagged deletions that make an expunge worth sending behind the next fetch, in a folder of up to four times as
     * many messages ({@link #batchFor}); fewer wait for the poll's end. Dovecot (maildir) pays for each expunge in
     * proportion to the folder, not only to what it removes (it rewrites its UID list and re-reads the directory),
     * so fewer, larger expunges cost it less: its CPU for a 1,000-message poll in rounds of 50 fell from about 0.36 s
     * with an expunge every 50 deletions to about 0.25 s every 250 and 0.19 s with one at the end (a UID FETCH,
     * STORE, EXPUNGE script, two runs each, load 18 to 30, on the shared disk).
     */
    static final int EXPUNGE_BATCH = 2_000;

    /**
     * The part of the folder one expunge removes at least: with each expunge costing the server time in proportion
     * to the folder, a batch of a quarter of it keeps the expunge's cost per removed message the same in a folder of
     * 10,000 as in one of 1,000. A fixed batch of 250 did not: a 1,000-message poll of a 10,000-message folder sent
     * four expunges that Dovecot took 0.5 to 1.6 s each over (a FETCH sent beside one waited as long), where one
     * expunge at the poll's end, as a plain FETCH, STORE, EXPUNGE client sends, costs one.
     */
    static final int FOLDER_SHARE = 4;

    /**
     * The keyword set in the same UID STORE as \Deleted, where the folder keeps it: a catalystmail consumer routed
     * the message successfully and meant the deletion, so any consumer may expunge it
     * ({@link OrphanedFlags#flaggedDone}), whatever its idempotent repository still knows. Only ever set together
     * with \Deleted on the message that leaves (never before a COPY or MOVE: copies keep their flags, RFC 3501
     * §6.4.7, and a copy must not look done).
     */
    static final String DONE_KEYWORD = "$CatalystMailDone";

    private final FetchPipeline pipeline;
    /** Deletions whose flag the server answered on this connection, not expunged yet. */
    private final UidList awaiting = new UidList();
    private PendingExpunges pending = new PendingExpunges();
    /** Whether the selected folder keeps {@link #DONE_KEYWORD} (PERMANENTFLAGS, RFC 3501 §7.1). */
    private boolean markDone;
    /** Told the UIDs whose expunge the server answered with OK. */
    private Consumer<List<Long>> expunged = uids -> { };

    /** @param pipeline where the commands go, in order with the fetches sent ahead */
    BatchedExpunge(FetchPipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Keeps the record of flagged-but-not-expunged messages in {@code record}, handed from session to session. */
    void keepPendingIn(PendingExpunges record) {
        this.pending = record;
    }

    /** Whether deletions are flagged with {@link #DONE_KEYWORD} too: set for each selected folder. */
    void markDone(boolean keywordKept) {
        this.markDone = keywordKept;
    }

    /** Tells {@code listener} the UIDs whose expunge the server answered with OK, on the thread that read it. */
    void reportExpungedTo(Consumer<List<Long>> listener) {
        this.expunged = listener;
    }

    /** Forgets the batch of a connection that is gone: its flags stay on the server, recorded as pending. */
    void forget() {
        awaiting.clear();
    }

    boolean isEmpty() {
        return awaiting.isEmpty();
    }

    /**
     * Expunges what an earlier session of the same folder flagged but could not expunge before it was lost, flagging
     * it again first and expunging once that flag is answered. The lost session's STORE may never have been answered
     * (a poll fails on the first answer that breaks the protocol, with commands still in flight), and nothing says
     * the server has carried it out, or will not carry it out later: a dropped connection need not stop work the
     * server has started. An expunge that overtook it would remove nothing and could leave the messages flagged
     * \Deleted, out of every listing (RFC 3501 §5.5 orders dependent commands within one connection; across two, only
     * a flag answered on this one settles the order). Flagging a message flagged already, or gone, changes nothing.
     */
    void expungeOwed(ImapConnection c, long uidValidity) throws IOException {
        List<Long> owed = pending.owed(uidValidity);
        if (owed.isEmpty()) {
            return;
        }
        for (UidSet.Piece piece : UidSet.pieces(owed)) {
            pipeline.run(c, storeCommand(piece), UidEffect.addsFlags(piece.uids()), null);
        }
        expunge(c, owed);
    }

    /**
     * Flags {@code uids} \Deleted now; once their flag is answered they await the expunge. When a batch
     * ({@link #batchFor}) or more await it and a round is on the wire, their expunge is held for the next FETCH
     * put on the wire, which goes once this flag is answered. With no round on the wire (the poll's end, or a route
     * slower than the fetch) they keep waiting: {@link #expungeAwaiting} or a later batch takes them with the rest,
     * one expunge instead of two in a row.
     */
    void flag(ImapConnection c, long uidValidity, List<Long> uids) throws IOException {
        pending.flagging(uidValidity, uids);
        // taken before this flag is sent: a STORE run at once answers, and adds its UIDs, within run
        List<Long> batch = List.of();
        if (awaiting.size() >= batchFor(c.exists()) && pipeline.roundOnTheWire()) {
            batch = awaiting.sortedDistinct();
            awaiting.clear();
        }
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            List<Long> flagged = piece.uids();
            pipeline.run(c, storeCommand(piece), UidEffect.addsFlags(flagged), () -> awaiting.addAll(flagged));
        }
        if (!batch.isEmpty()) {
            for (Expunge e : expungeCommands(c, batch)) {
                pipeline.behindNextFetch(c, e.command(), UidEffect.removes(e.uids()), onExpunged(c, e.uids()));
            }
        }
    }

    /** The UID STORE of {@link #deletionFlags} for one piece of a set. */
    private ImapCommand storeCommand(UidSet.Piece piece) {
        return ImapMessageOperations.storeCommand(piece, StoreMode.ADD, deletionFlags());
    }

    /**
     * Flagged deletions that make an expunge worth sending behind the next fetch in a folder of {@code exists}
     * messages (the last EXISTS; -1 when none came): {@value #EXPUNGE_BATCH}, or {@value #FOLDER_SHARE}th of a
     * larger folder. The rest waits for {@link #expungeAwaiting} at the poll's end.
     */
    static long batchFor(long exists) {
        return Math.max(EXPUNGE_BATCH, exists / FOLDER_SHARE);
    }

    /** \Deleted, with {@link #DONE_KEYWORD} where the folder keeps it: a flag sent again says the same as the first. */
    private List<String> deletionFlags() {
        return markDone ? List.of("\\Deleted", DONE_KEYWORD) : List.of("\\Deleted");
    }

    /** Expunges the deletions flagged on this connection (the caller settled the pipeline: every flag answered). */
    void expungeAwaiting(ImapConnection c) throws IOException {
        if (awaiting.isEmpty()) {
            return;
        }
        List<Long> uids = awaiting.sortedDistinct();
        awaiting.clear();
        expunge(c, uids);
    }

    /**
     * Expunges exactly these messages, already flagged \Deleted (by a node that died before its expunge). Needs
     * UIDPLUS: a plain EXPUNGE would also remove what other clients flagged, so without it nothing is done.
     *
     * @return whether the server was asked to expunge them
     */
    boolean expungeFlagged(ImapConnection c, List<Long> uids) throws IOException {
        if (uids.isEmpty() || !c.capabilities().has("UIDPLUS")) {
            return false;
        }
        pipeline.settle(c);
        expunge(c, uids);
        return true;
    }

    private void expunge(ImapConnection c, List<Long> uids) throws IOException {
        if (uids.isEmpty()) {
            return;
        }
        for (Expunge e : expungeCommands(c, uids)) {
            pipeline.run(c, e.command(), UidEffect.removes(e.uids()), onExpunged(c, e.uids()));
        }
    }

    /** One expunge command and the UIDs it removes. */
    private record Expunge(ImapCommand command, List<Long> uids) {
    }

    /**
     * UID EXPUNGE of exactly {@code uids} (RFC 4315 §2.1), one command per piece of the set so no line outgrows
     * {@link UidSet#MAX_SET_OCTETS}; without UIDPLUS the one plain EXPUNGE.
     */
    private static List<Expunge> expungeCommands(ImapConnection c, List<Long> uids) {
        if (!c.capabilities().has("UIDPLUS")) {
            return List.of(new Expunge(new ImapCommand("EXPUNGE"), uids));
        }
        List<Expunge> commands = new ArrayList<>();
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            commands.add(new Expunge(new ImapCommand("UID EXPUNGE").raw(piece.set()), piece.uids()));
        }
        return commands;
    }

    /** Once the server answered OK: the UIDs are gone (a plain EXPUNGE removed them with every other flagged one). */
    private Runnable onExpunged(ImapConnection c, List<Long> uids) {
        boolean exactly = c.capabilities().has("UIDPLUS");
        return () -> {
            if (exactly) {
                pending.expunged(uids);
            } else {
                pending.allExpunged();
            }
            expunged.accept(uids);
        };
    }
}
