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

    /** For a subclass that words the message itself. */
    protected MissingFolderException(String message, String folder, boolean custom) {
        super(message);
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}
