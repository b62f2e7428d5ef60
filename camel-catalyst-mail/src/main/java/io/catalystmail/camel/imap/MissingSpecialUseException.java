package io.catalystmail.camel.imap;

import io.catalystmail.camel.mailbox.ConnectionStillInStep;

/**
 * No folder carries the special-use attribute asked for (RFC 6154), found from a LIST read whole: the connection is
 * in step. On a server that offers SPECIAL-USE the folder may not exist or not be marked yet, and servers mark
 * folders differently, so the message says how for both the project tries: Dovecot marks a folder its configuration
 * names ({@code special_use}) once it exists; Cyrus only by the folder's {@code /private/specialuse} metadata, so a
 * folder created by name stays unmarked there (mailbox-operations.adoc).
 */
public final class MissingSpecialUseException extends MissingFolderException implements ConnectionStillInStep {

    MissingSpecialUseException(String server, String use, boolean offered) {
        super("No folder on " + server + " has the special-use attribute " + use
              + (offered ? "; name the folder itself instead, or have a folder marked " + use + ": Dovecot marks the"
                           + " folder its configuration names (special_use) once it exists, so create it first"
                           + " (operation=create with the folder's name); Cyrus marks none by its name, only a"
                           + " folder whose /private/specialuse metadata is " + use + " (SETMETADATA, RFC 5464 and"
                           + " RFC 6154), which a mail client or an administrator sets"
                      : " (the server does not offer SPECIAL-USE, RFC 6154); name the folder itself instead"),
                use, true);
    }
}
