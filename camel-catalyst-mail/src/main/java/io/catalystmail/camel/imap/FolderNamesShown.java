package io.catalystmail.camel.imap;

/**
 * A folder name quoted in an error message: a route may name one of any length (a server refuses it, as Dovecot does
 * past 255 characters), and a message of kilobytes hides what failed. The exceptions keep the name whole.
 */
public final class FolderNamesShown {

    /** The characters of a folder name a message quotes: enough to recognise it. */
    private static final int SHOWN = 100;

    private FolderNamesShown() {
    }

    /** {@code 'name'}, or its first 100 characters and its length. */
    public static String shown(String folder) {
        if (folder.length() <= SHOWN) {
            return "'" + folder + "'";
        }
        int end = Character.isHighSurrogate(folder.charAt(SHOWN - 1)) ? SHOWN - 1 : SHOWN;
        return "'" + folder.substring(0, end) + "...', " + folder.length() + " characters";
    }
}
