package io.catalystmail.camel.imap;

import io.catalystmail.camel.mailbox.ConnectionStillInStep;

/**
 * No folder carries the special-use attribute asked for (RFC 6154), found from a LIST read whole: the connection is
 * in step. On a server that offers SPECIAL-USE the folder may just not exist yet: Dovecot marks a folder its
 * configuration names ({@code special_use}) only once it exists, so the message says how to create it.
 */
public final class MissingSpecialUseException extends MissingFolderException implements ConnectionStillInStep {

    MissingSpecialUseException(String server, String use, boolean offered) {
        super("No folder on " + server + " has the special-use attribute " + use
              + (offered ? "; name the folder itself instead, or, where the server marks a folder " + use
                           + " by its configuration once it exists (Dovecot's special_use), create it first"
                           + " (operation=create with the folder's name)"
                      : " (the server does not offer SPECIAL-USE, RFC 6154); name the folder itself instead"),
                use, true);
    }
}
