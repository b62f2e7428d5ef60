package io.catalystmail.camel.operations;

import java.util.Locale;

import io.catalystmail.camel.CatalystMailConstants;

/**
 * Where the UIDs of an exchange came from, as the step that produced them said: the {@code CamelCatalystMailFolder}
 * and {@code CamelCatalystMailUidValidity} beside {@code CamelCatalystMailUids}. A UID names a message only together
 * with its folder and that folder's UIDVALIDITY (RFC 3501 §2.3.1.1), so an operation refuses UIDs a search in
 * another folder left on the exchange, or UIDs from before the folder was recreated, instead of acting on whatever
 * messages carry the same numbers there. Either part may be absent (UIDs a route set by hand): then it is not checked.
 */
record UidsOrigin(String folder, Long uidValidity) {

    static final UidsOrigin UNKNOWN = new UidsOrigin(null, null);

    /** Before anything is sent: the UIDs came from another folder than the one the operation works on. */
    void checkFolder(String operation, String server, String workedOn) {
        if (folder != null && !sameFolder(folder, workedOn)) {
            throw new IllegalArgumentException(operation + " on " + server + " (folder '" + workedOn + "'): the "
                    + CatalystMailConstants.UIDS + " on this exchange came from folder '" + folder + "' ("
                    + CatalystMailConstants.FOLDER + "), where they name other messages; nothing was sent. Remove the "
                    + CatalystMailConstants.FOLDER + " and " + CatalystMailConstants.UID_VALIDITY + " headers if"
                    + " these UIDs are meant for '" + workedOn + "'; remove " + CatalystMailConstants.UIDS + " too"
                    + " for an operation that should search there");
        }
    }

    /** After SELECT/EXAMINE: the folder's UIDVALIDITY is not the one the UIDs were read under. */
    void checkUidValidity(String operation, String server, String workedOn, long current) {
        if (uidValidity != null && uidValidity != current) {
            throw new IllegalArgumentException(operation + " on " + server + " (folder '" + workedOn + "'): the "
                    + CatalystMailConstants.UIDS + " on this exchange were read under UIDVALIDITY " + uidValidity
                    + " (" + CatalystMailConstants.UID_VALIDITY + "), the folder now has " + current + ": the same"
                    + " numbers may name other messages (RFC 3501 §2.3.1.1), so nothing was changed");
        }
    }

    // INBOX is case-insensitive (RFC 3501 §5.1); every other name is compared as the server spelled it
    private static boolean sameFolder(String a, String b) {
        return a.equals(b) || a.toUpperCase(Locale.ROOT).equals("INBOX") && b.toUpperCase(Locale.ROOT).equals("INBOX");
    }
}
