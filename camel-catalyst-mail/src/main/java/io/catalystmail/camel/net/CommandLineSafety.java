package io.catalystmail.camel.net;

/**
 * The one check every protocol line and header built from data goes through: a CR or LF would end the line early
 * and let the rest act as a command or header of its own, and a NUL is cut short or refused by servers. Callers
 * word their own refusal and never echo the value, which may be secret.
 */
public final class CommandLineSafety {

    private CommandLineSafety() {
    }

    /** True when {@code value} holds a CR, LF or NUL. */
    public static boolean breaksTheLine(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                return true;
            }
        }
        return false;
    }
}
