package io.catalystmail.camel.mailbox;

/**
 * What to do with a message on the server once its exchange has been decided. Applied only by the session
 * that fetched the message.
 *
 * @param markSeen set \Seen (IMAP); over POP3 "seen" lives in the client's UIDL store, not on the server
 * @param delete   remove the message (IMAP: \Deleted + UID EXPUNGE; POP3: DELE, effective at QUIT)
 * @param moveTo   folder to move it to (IMAP only), null for none
 * @param copyTo   folder to copy it to (IMAP only), null for none
 */
public record AfterProcessing(boolean markSeen, boolean delete, String moveTo, String copyTo) {

    public static final AfterProcessing NOTHING = new AfterProcessing(false, false, null, null);

    public boolean isNothing() {
        return !markSeen && !delete && moveTo == null && copyTo == null;
    }

    public boolean needsFolders() {
        return moveTo != null || copyTo != null;
    }

    /**
     * What is left of the action for a message the server shows \Seen: nothing when it marks the message \Seen,
     * perhaps after a copy, and neither moves nor deletes it (a message moved or deleted is not listed again). The
     * consumer sends \Seen only once the copy before it was answered with OK, and never after a refused one
     * ({@code HeldCommands}), so the flag stands for the copy too. Only a message \Seen before its route
     * ({@code unseen=false}) whose node stopped between the route and the UID COPY loses its copy this way; taking
     * \Seen as no proof made a copy in every poll that listed the message, forever.
     */
    public AfterProcessing leftWhenSeen() {
        return markSeen && !delete && moveTo == null ? NOTHING : this;
    }

    /**
     * What is owed again for a message processed before (the idempotent repository knows it, or this node routed it
     * and it is still listed): the action, but nothing when it is a copy alone. Such a copy leaves no trace on the
     * original (no \Seen, and the message stays in the folder), so nothing tells whether it was made, and retrying it
     * made one more copy in every poll that listed the message, forever. Only a node that stopped between the route
     * and its UID COPY leaves that copy unmade now.
     */
    public AfterProcessing owedAgain() {
        return copyTo != null && !markSeen && !delete && moveTo == null ? NOTHING : this;
    }

    /** What is left once the copy to {@link #copyTo} was made. */
    public AfterProcessing withCopyMade() {
        return copyTo == null ? this : new AfterProcessing(markSeen, delete, moveTo, null);
    }

    /**
     * What is left once the copy of a move was made where the server has no MOVE (RFC 6851): deleting the original,
     * which is how that move ends anyway.
     */
    public AfterProcessing withMoveCopyMade() {
        return moveTo == null ? this : new AfterProcessing(markSeen, true, null, copyTo);
    }

    /** The folders the actions copy or move messages to. */
    public static java.util.Set<String> folders(java.util.Collection<AfterProcessing> actions) {
        java.util.Set<String> folders = new java.util.LinkedHashSet<>();
        for (AfterProcessing a : actions) {
            if (a.copyTo() != null) {
                folders.add(a.copyTo());
            }
            if (a.moveTo() != null) {
                folders.add(a.moveTo());
            }
        }
        return folders;
    }

    /** Folder names longer than this are cut in log lines and messages: a long name says nothing more at length. */
    private static final int SHOWN_NAME_LENGTH = 60;

    /** A folder's name for log lines: quoted, cut after 60 characters with its length said. */
    public static String shown(String folder) {
        return folder.length() <= SHOWN_NAME_LENGTH ? "'" + folder + "'"
                : "'" + folder.substring(0, SHOWN_NAME_LENGTH) + "…' (" + folder.length() + " characters)";
    }

    /** What log lines say of the action, e.g. {@code mark \Seen, move to 'Archive'}. */
    @Override
    public String toString() {
        java.util.List<String> steps = new java.util.ArrayList<>(4);
        if (markSeen) {
            steps.add("mark \\Seen");
        }
        if (copyTo != null) {
            steps.add("copy to " + shown(copyTo));
        }
        if (moveTo != null) {
            steps.add("move to " + shown(moveTo));
        }
        if (delete) {
            steps.add("delete");
        }
        return steps.isEmpty() ? "nothing" : String.join(", ", steps);
    }
}
