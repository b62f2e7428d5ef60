package io.catalystmail.camel.imap;

import java.io.IOException;

import io.catalystmail.camel.mailbox.AfterProcessing;

/** A folder the configuration names does not exist, and creating it is not allowed. */
public class MissingFolderException extends IOException {

    private final String folder;

    /** The message shows the folder cut at 60 characters, as log lines do; {@link #folder()} keeps all of it. */
    public MissingFolderException(String server, String folder) {
        super("Folder " + AfterProcessing.shown(folder) + " does not exist on " + server
              + "; create it, or set autoCreateFolders=true to let the consumer create it");
        this.folder = folder;
    }

    private MissingFolderException(String message, String folder, boolean custom) {
        super(message);
        this.folder = folder;
    }

    /**
     * No folder carries the special-use attribute {@code use} (RFC 6154), which names the folder wanted. On a server
     * that offers SPECIAL-USE the folder may just not exist yet: Dovecot marks a folder its configuration names
     * ({@code special_use}) only once it exists, so the message says how to create it.
     */
    public static MissingFolderException noSpecialUse(String server, String use, boolean offered) {
        return new MissingFolderException("No folder on " + server + " has the special-use attribute " + use
                + (offered ? "; name the folder itself instead, or, where the server marks a folder " + use
                             + " by its configuration once it exists (Dovecot's special_use), create it first"
                             + " (operation=create with the folder's name)"
                        : " (the server does not offer SPECIAL-USE, RFC 6154); name the folder itself instead"),
                use, true);
    }

    public String folder() {
        return folder;
    }
}
