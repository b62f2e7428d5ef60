package io.catalystmail.camel.imap;

import java.util.Set;

/**
 * What SELECT or EXAMINE reported about the folder it opened (RFC 3501 §6.3.1): message count, the UID
 * validity that gives UIDs their meaning, the next UID, whether the folder is open read-only, and which flags and
 * keywords the server keeps.
 *
 * @param uidNext        -1 when the server did not say
 * @param flags          the FLAGS response (§7.2.6): the flags and keywords defined in the folder
 * @param permanentFlags the PERMANENTFLAGS response code (§7.1), null when the server sent none
 */
public record FolderState(String name, long exists, long uidValidity, long uidNext, boolean readOnly, Set<String> flags,
        Set<String> permanentFlags) {

    /**
     * Whether a client may set {@code keyword} on this folder's messages for good: PERMANENTFLAGS lists it or
     * {@code \*} (new keywords may be created, §7.1). Without PERMANENTFLAGS "all flags can be changed permanently",
     * which covers the flags FLAGS lists, not the creation of new ones.
     */
    public boolean keeps(String keyword) {
        if (permanentFlags == null) {
            return flags.stream().anyMatch(keyword::equalsIgnoreCase);
        }
        return permanentFlags.contains("\\*") || permanentFlags.stream().anyMatch(keyword::equalsIgnoreCase);
    }
}
