package io.catalystmail.camel.mime;

/**
 * Case-insensitive matching of header field names, which are printable US-ASCII (RFC 5322 section 3.6.8): a small
 * loop that folds A-Z only, instead of String.equalsIgnoreCase, whose Unicode case mapping the JIT compiler inlines
 * into every caller on the path every message takes.
 */
final class AsciiNames {

    private AsciiNames() {
    }

    /** True when {@code name} is {@code lowerCaseName} (lower-case US-ASCII) with any letters in upper case. */
    static boolean equalsLowerCase(String name, String lowerCaseName) {
        return name.length() == lowerCaseName.length() && startsWithLowerCase(name, lowerCaseName);
    }

    /** True when {@code name} starts with {@code lowerCasePrefix} (lower-case US-ASCII), letters in any case. */
    static boolean startsWithLowerCase(String name, String lowerCasePrefix) {
        int length = lowerCasePrefix.length();
        if (name.length() < length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            char expected = lowerCasePrefix.charAt(i);
            if (c != expected && (c < 'A' || c > 'Z' || c + ('a' - 'A') != expected)) {
                return false;
            }
        }
        return true;
    }
}
