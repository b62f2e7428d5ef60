package io.catalystmail.camel.mime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names for the attachments of one message: the sender's name made safe to use as a file name, a generated one
 * when there is none, and each unique within the message ({@code a.txt}, {@code a (1).txt}).
 */
final class AttachmentNames {

    private static final int MAX_LENGTH = 200;
    /**
     * A Linux file name may have 255 bytes (NAME_MAX; ext4, xfs, tmpfs count UTF-8 bytes, not characters): 200
     * characters of Japanese are 600. 15 bytes are left for the " (n)" that {@link #unique} appends.
     */
    private static final int MAX_UTF8_BYTES = 240;
    private static final int MAX_EXTENSION = 16;

    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("application/pdf", "pdf"),
            Map.entry("application/zip", "zip"),
            Map.entry("application/gzip", "gz"),
            Map.entry("application/json", "json"),
            Map.entry("application/xml", "xml"),
            Map.entry("application/msword", "doc"),
            Map.entry("application/vnd.ms-excel", "xls"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
            Map.entry("application/pkcs7-signature", "p7s"),
            Map.entry("application/pkcs7-mime", "p7m"),
            Map.entry("application/pgp-signature", "asc"),
            Map.entry("application/ics", "ics"),
            Map.entry("text/plain", "txt"),
            Map.entry("text/html", "html"),
            Map.entry("text/csv", "csv"),
            Map.entry("text/xml", "xml"),
            Map.entry("text/calendar", "ics"),
            Map.entry("text/vcard", "vcf"),
            Map.entry("text/rfc822-headers", "txt"),
            Map.entry("message/rfc822", "eml"),
            Map.entry("message/global", "eml"),
            Map.entry("message/delivery-status", "txt"),
            Map.entry("image/png", "png"),
            Map.entry("image/jpeg", "jpg"),
            Map.entry("image/gif", "gif"),
            Map.entry("image/webp", "webp"),
            Map.entry("image/svg+xml", "svg"),
            Map.entry("image/tiff", "tif"),
            Map.entry("audio/mpeg", "mp3"),
            Map.entry("audio/wav", "wav"),
            Map.entry("video/mp4", "mp4"));

    private final Set<String> used = new HashSet<>();
    /** Next suffix to try per taken name, so a thousand parts called a.txt cost linear, not quadratic, time. */
    private final Map<String, Integer> nextSuffix = new HashMap<>();

    /**
     * A unique, safe name for a part.
     *
     * @param declared the decoded filename or name parameter, or null
     * @param subject  for an attached message: its decoded Subject, or null
     * @param mimeType lower-case MIME type of the part
     * @param number   1-based position of the part among the message's leaf parts
     */
    String name(String declared, String subject, String mimeType, int number) {
        String name = sanitise(declared);
        if (name.isEmpty() && subject != null) {
            name = sanitise(subject.replace('/', '_').replace('\\', '_')); // a subject is no path
            if (!name.isEmpty()) {
                name = shorten(name + ".eml");
            }
        }
        if (name.isEmpty()) {
            boolean message = mimeType.startsWith("message/rfc822") || mimeType.startsWith("message/global");
            name = message ? "message-" + number + ".eml"
                    : "part-" + number + "." + EXTENSIONS.getOrDefault(mimeType, "bin");
        }
        return unique(name);
    }

    /**
     * Keeps the last path segment, replaces control characters (CR, LF, NUL among them), characters reserved in
     * Windows file names and bidirectional overrides (which make {@code exe.txt} display as {@code txt.exe}) with
     * '_', and trims spaces and dots from the ends. Yields "" when nothing usable is left.
     */
    static String sanitise(String name) {
        if (name == null) {
            return "";
        }
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        String last = name.substring(cut + 1);
        // without a StringBuilder: a name sent is nearly always safe as it is, and this runs once per attachment,
        // too rarely for the JIT compiler to make a builder's appending cheap before thousands of messages
        String safe = hasUnsafe(last) ? replaceUnsafe(last) : last;
        int start = 0;
        int end = safe.length();
        while (start < end && (safe.charAt(start) == ' ' || safe.charAt(start) == '.' && isAllDots(safe, start, end))) {
            start++;
        }
        while (end > start && (safe.charAt(end - 1) == ' ' || safe.charAt(end - 1) == '.')) {
            end--;
        }
        return shorten(safe.substring(start, end));
    }

    private static boolean hasUnsafe(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String replaceUnsafe(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (isUnsafe(chars[i])) {
                chars[i] = '_';
            }
        }
        return new String(chars);
    }

    private static boolean isAllDots(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != '.' && text.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUnsafe(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)
                || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>' || c == '|'
                || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                || c == '\u200e' || c == '\u200f';
    }

    /**
     * Cuts names longer than {@link #MAX_LENGTH} characters or {@link #MAX_UTF8_BYTES} bytes at the end of the base
     * name, between whole characters, keeping a short extension.
     */
    private static String shorten(String name) {
        if (name.length() <= MAX_LENGTH && utf8Length(name) <= MAX_UTF8_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_EXTENSION + 1 ? name.substring(dot) : "";
        int charsLeft = MAX_LENGTH - extension.length();
        int bytesLeft = MAX_UTF8_BYTES - utf8Length(extension);
        int end = 0;
        while (end < name.length() - extension.length()) {
            int codePoint = name.codePointAt(end);
            int chars = Character.charCount(codePoint);
            int bytes = utf8Length(codePoint);
            if (chars > charsLeft || bytes > bytesLeft) {
                break;
            }
            charsLeft -= chars;
            bytesLeft -= bytes;
            end += chars;
        }
        return name.substring(0, end) + extension;
    }

    private static int utf8Length(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            bytes += utf8Length(text.codePointAt(i));
        }
        return bytes;
    }

    /** RFC 3629 §3; a lone surrogate counts as the 3 bytes a replacement character takes. */
    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }

    private String unique(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (used.add(key)) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        String extension = dot > 0 ? name.substring(dot) : "";
        for (int n = nextSuffix.getOrDefault(key, 1);; n++) {
            String candidate = base + " (" + n + ")" + extension;
            if (used.add(candidate.toLowerCase(Locale.ROOT))) {
                nextSuffix.put(key, n + 1);
                return candidate;
            }
        }
    }
}
