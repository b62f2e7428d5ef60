package io.catalystmail.camel.imap;

/**
 * What SELECT or EXAMINE reported about the folder it opened (RFC 3501 §6.3.1): message count, the UID
 * validity that gives UIDs their meaning, the next UID, and whether the folder is open read-only.
 *
 * @param uidNext -1 when the server did not say
 */
public record FolderState(String name, long exists, long uidValidity, long uidNext, boolean readOnly) {
}
