package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.catalystmail.camel.imap.ImapMessageOperations.StoreMode;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.ConfirmedSteps;
import io.catalystmail.camel.mailbox.MessageRef;

/**
 * The after-processing of a batch grouped into commands: UID COPY and UID MOVE per target folder, UID STORE of
 * \Seen, and the UIDs to delete (without MOVE, the moved ones too, as COPY leaves the originals behind). Each is one
 * command per piece of its UID set ({@link UidSet#pieces}): a round of fetchRoundSize scattered UIDs of ten digits
 * passes the ~8,192 octets RFC 7162 §4 advises for a line at about 727 of them. Every command is built before
 * anything is sent, so a folder name that is refused changes nothing.
 */
record AfterProcessingPlan(List<Step> copies, List<Step> seen, List<Step> moves, List<Long> deletes) {

    /** A folder command and what it does to the messages it names (a held one waits for those it depends on). */
    record Step(ImapCommand command, UidEffect effect) {
    }

    /**
     * Puts the copies, the \Seen flag and the moves on the pipeline, in that order: copies first, so they arrive
     * unseen for a route that polls the copy folder (camel-mail copies before flagging too); \Seen next, so a moved
     * message keeps it, as camel-mail's moveTo with delete=false does. Pipelined, each waits for the answer of the one
     * before it on the same messages ({@link HeldCommands}, RFC 3501 §5.5). The deletions are the caller's.
     *
     * @param confirmed  told the messages of each copy once it is answered, and those a UID MOVE (RFC 6851) took out
     *                   of the folder; without MOVE a move is a COPY (told as such), and the originals leave with the
     *                   deletions
     * @param identities the messages' identities from their UIDs
     */
    void sendBeforeDeletions(ImapConnection c, FetchPipeline pipeline, ConfirmedSteps confirmed,
            Function<List<Long>, List<String>> identities) throws IOException {
        for (Step copy : copies) {
            pipeline.run(c, copy.command(), copy.effect(), told(copy, ids -> confirmed.copied(identities.apply(ids))));
        }
        for (Step flag : seen) {
            pipeline.run(c, flag.command(), flag.effect(), null);
        }
        boolean moveLeaves = c.capabilities().has("MOVE");
        for (Step move : moves) {
            pipeline.run(c, move.command(), move.effect(), told(move, moveLeaves
                    ? ids -> confirmed.left(identities.apply(ids))
                    : ids -> confirmed.movedCopyMade(identities.apply(ids))));
        }
    }

    /** Tells {@code listener} the step's UIDs once the step is answered with OK. */
    private static Runnable told(Step step, Consumer<List<Long>> listener) {
        List<Long> uids = List.copyOf(step.effect().uids());
        return () -> listener.accept(uids);
    }

    static AfterProcessingPlan of(Map<MessageRef, AfterProcessing> actions, MailboxNames names, Capabilities caps) {
        List<Long> seen = new ArrayList<>();
        Map<String, List<Long>> copies = new LinkedHashMap<>();
        Map<String, List<Long>> moves = new LinkedHashMap<>();
        List<Long> deletes = new ArrayList<>();
        for (Map.Entry<MessageRef, AfterProcessing> e : actions.entrySet()) {
            long uid = e.getKey().uid();
            AfterProcessing a = e.getValue();
            if (a.markSeen()) {
                seen.add(uid);
            }
            if (a.copyTo() != null) {
                copies.computeIfAbsent(a.copyTo(), f -> new ArrayList<>()).add(uid);
            }
            if (a.moveTo() != null) {
                moves.computeIfAbsent(a.moveTo(), f -> new ArrayList<>()).add(uid);
            } else if (a.delete()) {
                deletes.add(uid);
            }
        }
        // the folder commands are built before anything is sent: a folder name that is refused changes nothing
        List<Step> copyCommands = new ArrayList<>();
        for (Map.Entry<String, List<Long>> copy : copies.entrySet()) {
            String folder = names.resolve(copy.getKey());
            addSteps(copyCommands, copy.getValue(), p -> ImapMessageOperations.copyCommand(p, folder),
                    UidEffect::copies);
        }
        List<Step> seenCommands = new ArrayList<>();
        if (!seen.isEmpty()) {
            addSteps(seenCommands, seen, p -> ImapMessageOperations.storeCommand(p, StoreMode.ADD,
                    List.of("\\Seen")), UidEffect::addsFlags);
        }
        boolean move = caps.has("MOVE");
        List<Step> moveCommands = new ArrayList<>();
        for (Map.Entry<String, List<Long>> m : moves.entrySet()) {
            String folder = names.resolve(m.getKey());
            addSteps(moveCommands, m.getValue(), p -> ImapMessageOperations.moveCommand(p, folder, caps),
                    move ? UidEffect::removes : UidEffect::copies);
            if (!move) {
                deletes.addAll(m.getValue()); // copied: now remove the original like a deletion
            }
        }
        return new AfterProcessingPlan(copyCommands, seenCommands, moveCommands, deletes);
    }

    /** One step per piece of {@code uids}: its command, and its effect on exactly the piece's UIDs. */
    private static void addSteps(List<Step> steps, List<Long> uids, Function<UidSet.Piece, ImapCommand> command,
            Function<List<Long>, UidEffect> effect) {
        for (UidSet.Piece piece : UidSet.pieces(uids)) {
            steps.add(new Step(command.apply(piece), effect.apply(piece.uids())));
        }
    }
}
