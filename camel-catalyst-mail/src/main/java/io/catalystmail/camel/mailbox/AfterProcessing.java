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
}
