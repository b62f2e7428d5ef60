package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import io.catalystmail.camel.imap.ImapMessageOperations.StoreMode;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;

/**
 * The after-processing of a batch grouped into commands: one UID COPY and one UID MOVE per target folder, the UIDs
 * to flag \Seen, and those to delete (without MOVE, the moved ones too, as COPY leaves the originals behind).
 * Every command is built before anything is sent, so a folder name that is refused changes nothing.
 */
record AfterProcessingPlan(List<Step> copies, List<Long> seen, List<Step> moves, List<Long> deletes) {

    /** A folder command and what it does to the messages it names (a held one waits for those it depends on). */
    record Step(ImapCommand command, UidEffect effect) {
    }

    /**
     * Puts the copies, the \Seen flag and the moves on the pipeline, in that order: copies first, so they arrive
     * unseen for a route that polls the copy folder (camel-mail copies before flagging too); \Seen next, so a moved
     * message keeps it, as camel-mail's moveTo with delete=false does. Pipelined, each waits for the answer of the one
     * before it on the same messages ({@link HeldCommands}, RFC 3501 §5.5). The deletions are the caller's.
     *
     * @param left told the UIDs a UID MOVE (RFC 6851) took out of the folder once it is answered; without MOVE a
     *             move is a COPY, and the originals leave with the deletions
     */
    void sendBeforeDeletions(ImapConnection c, FetchPipeline pipeline, Consumer<List<Long>> left) throws IOException {
        for (Step copy : copies) {
            pipeline.run(c, copy.command(), copy.effect(), null);
        }
        if (!seen.isEmpty()) {
            pipeline.run(c, ImapMessageOperations.storeCommand(seen, StoreMode.ADD, List.of("\\Seen")),
                    UidEffect.addsFlags(seen), null);
        }
        boolean moveLeaves = c.capabilities().has("MOVE");
        for (Step move : moves) {
            List<Long> uids = List.copyOf(move.effect().uids());
            pipeline.run(c, move.command(), move.effect(), moveLeaves ? () -> left.accept(uids) : null);
        }
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
            copyCommands.add(new Step(ImapMessageOperations.copyCommand(copy.getValue(), names.resolve(copy.getKey())),
                    UidEffect.copies(copy.getValue())));
        }
        boolean move = caps.has("MOVE");
        List<Step> moveCommands = new ArrayList<>();
        for (Map.Entry<String, List<Long>> m : moves.entrySet()) {
            moveCommands.add(new Step(ImapMessageOperations.moveCommand(m.getValue(), names.resolve(m.getKey()), caps),
                    move ? UidEffect.removes(m.getValue()) : UidEffect.copies(m.getValue())));
            if (!move) {
                deletes.addAll(m.getValue()); // copied: now remove the original like a deletion
            }
        }
        return new AfterProcessingPlan(copyCommands, seen, moveCommands, deletes);
    }
}
