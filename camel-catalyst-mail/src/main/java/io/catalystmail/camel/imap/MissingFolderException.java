package io.catalystmail.camel.imap;

import java.io.IOException;

/** A folder the configuration names does not exist, and creating it is not allowed. */
public class MissingFolderException extends IOException {

    private final String folder;

    public MissingFolderException(String server, String folder) {
        super("Folder '" + folder + "' does not exist on " + server
              + "; create it, or set autoCreateFolders=true to let the consumer create it");
        this.folder = folder;
    }

    public String folder() {
        return folder;
    }
}
