package io.catalystmail.camel.imap;

import io.catalystmail.camel.net.ServerText;

/**
 * A folder name quoted in an error message: a route may name one of any length (a server refuses it, as Dovecot does
 * past 255 characters), and a message of kilobytes hides what failed. The exceptions keep the name whole.
 */
public final class FolderNamesShown {

    /** The characters of a folder name a message quotes: enough to recognise it. */
    private static final int SHOWN = 100;

    private FolderNamesShown() {
    }

    /**
     * {@code 'name'}, or its first 100 characters and its length; cut and escaped as a server's text is
     * ({@link ServerText}), so a control character in a name cannot rewrite the log line either.
     */
    public static String shown(String folder) {
        String shown = "'" + ServerText.shown(folder, SHOWN) + "'";
        return folder.length() <= SHOWN ? shown : shown + ", " + folder.length() + " characters";
    }
}
