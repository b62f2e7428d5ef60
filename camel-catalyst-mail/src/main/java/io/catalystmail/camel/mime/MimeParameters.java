package io.catalystmail.camel.mime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The value and parameters of a Content-Type or Content-Disposition field (RFC 2045 section 5.1, RFC 2183), with
 * RFC 2231 extended parameters ({@code name*=charset'lang'%XX}) and continuations ({@code name*0*=}, {@code name*1=})
 * put together and decoded. Plain values that carry RFC 2047 encoded-words, which many mailers send although the
 * RFC forbids it, are decoded too. Lenient throughout: bogus input yields a best-effort value, never an exception.
 */
final class MimeParameters {

    /** Continuation section numbers beyond four digits are not continuations but garbage. */
    private static final int MAX_SECTION_DIGITS = 4;

    private final String value;
    /** The field value and where its parameters start, read on each {@link #get} when none is an RFC 2231 one. */
    private final String text;
    private final int parametersStart;
    /** All parameters put together, when one is an RFC 2231 one (a '*' in the parameters); else null. */
    private final Map<String, String> combined;

    private MimeParameters(String value, String text, int parametersStart, Map<String, String> combined) {
        this.value = value;
        this.text = text;
        this.parametersStart = parametersStart;
        this.combined = combined;
    }

    /**
     * Parses an unfolded field value; null gives an empty value without parameters. Parameters without a '*' (nearly
     * every field) are not put into maps: {@link #get} finds the first of a name by a scan, which gives the same
     * value as the maps, as the first of each name counts in both. This runs for every part of every message, and
     * the maps made it one of the largest methods the JIT compiler had to compile for a message. Comments (RFC 2045
     * section 5.1 lets them stand between tokens) are taken out first, in the rare value that holds a '('.
     */
    static MimeParameters parse(String fieldValue) {
        if (fieldValue == null) {
            return new MimeParameters("", "", 0, null);
        }
        String text = fieldValue.indexOf('(') < 0 ? fieldValue : ParameterComments.removed(fieldValue);
        int semicolon = text.indexOf(';');
        String value = (semicolon < 0 ? text : text.substring(0, semicolon)).trim()
                .toLowerCase(Locale.ROOT);
        if (semicolon < 0) {
            return new MimeParameters(value, "", 0, null);
        }
        if (text.indexOf('*', semicolon + 1) < 0) {
            return new MimeParameters(value, text, semicolon + 1, null);
        }
        return new MimeParameters(value, "", 0, combine(split(text, semicolon + 1)));
    }

    /** The media type or disposition type, lower case. */
    String value() {
        return value;
    }

    /**
     * A parameter, decoded; null when absent. {@code name} in lower case. Its own scan, without the arrays of
     * {@link #values}: it runs for every attachment's file name.
     */
    String get(String name) {
        if (combined != null) {
            return combined.get(name);
        }
        Scanner scanner = new Scanner(text, parametersStart);
        while (scanner.next()) {
            if (scanner.isNamed(name)) {
                return HeaderDecoder.decodeEncodedWords(scanner.value());
            }
        }
        return null;
    }

    /**
     * The first parameter of each name, decoded, null for an absent one; names in lower case. One scan finds them
     * all: a part's Content-Type is asked for its boundary and its charset, and one scan is one inlined copy of
     * the scanner where the JIT compiler compiles the part's description.
     */
    String[] values(String... names) {
        String[] values = new String[names.length];
        if (combined != null) {
            for (int k = 0; k < names.length; k++) {
                values[k] = combined.get(names[k]);
            }
            return values;
        }
        Scanner scanner = new Scanner(text, parametersStart);
        int missing = names.length;
        while (missing > 0 && scanner.next()) {
            for (int k = 0; k < names.length; k++) {
                if (values[k] == null && scanner.isNamed(names[k])) {
                    values[k] = HeaderDecoder.decodeEncodedWords(scanner.value());
                    missing--;
                    break;
                }
            }
        }
        return values;
    }

    /** Raw name/value pairs in order of appearance, names in lower case, quotes and escapes removed. */
    private static Map<String, String> split(String text, int from) {
        Map<String, String> raw = new LinkedHashMap<>();
        Scanner scanner = new Scanner(text, from);
        while (scanner.next()) {
            raw.putIfAbsent(scanner.name(), scanner.value());
        }
        return raw;
    }

    /**
     * Reads parameters one after the other, keeping only where name and value are: the strings are made for the
     * parameter asked for.
     */
    private static final class Scanner {
        private final String text;
        private int i;
        /** The name, trimmed as {@link String#trim} would. */
        private int nameStart;
        private int nameEnd;
        /** The value: for a quoted one, from after the opening quote to before the closing one (or the end). */
        private int valueStart;
        private int valueEnd;
        private boolean quoted;

        Scanner(String text, int from) {
            this.text = text;
            this.i = from;
        }

        /** Moves to the next parameter with a name and a value; false after the last. */
        boolean next() {
            while (i < text.length()) {
                if (scan() && nameEnd > nameStart) {
                    return true;
                }
            }
            return false;
        }

        /** Reads one parameter; false for one without a value, which means nothing. */
        private boolean scan() {
            int length = text.length();
            while (i < length && (text.charAt(i) == ';' || Character.isWhitespace(text.charAt(i)))) {
                i++;
            }
            nameStart = i;
            while (i < length && text.charAt(i) != '=' && text.charAt(i) != ';') {
                i++;
            }
            nameEnd = i;
            while (nameStart < nameEnd && text.charAt(nameStart) <= ' ') {
                nameStart++;
            }
            while (nameEnd > nameStart && text.charAt(nameEnd - 1) <= ' ') {
                nameEnd--;
            }
            if (i >= length || text.charAt(i) == ';') {
                return false; // a parameter without a value means nothing
            }
            i++; // '='
            while (i < length && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            quoted = i < length && text.charAt(i) == '"';
            if (quoted) {
                int end = LexicalTokens.quotedStringEnd(text, i, length);
                valueStart = i + 1;
                valueEnd = LexicalTokens.quotedContentEnd(text, i, end);
                i = end;
                while (i < length && text.charAt(i) != ';') {
                    i++; // closing quote and anything up to the next parameter
                }
            } else {
                valueStart = i;
                while (i < length && text.charAt(i) != ';') {
                    i++;
                }
                valueEnd = i; // unquoted values with spaces are common: keep them whole
                while (valueEnd > valueStart && Character.isWhitespace(text.charAt(valueEnd - 1))) {
                    valueEnd--;
                }
            }
            return true;
        }

        /** True when the name in lower case is {@code lowerCaseName}, which is US-ASCII. */
        boolean isNamed(String lowerCaseName) {
            if (nameEnd - nameStart != lowerCaseName.length()) {
                return false;
            }
            for (int k = 0; k < lowerCaseName.length(); k++) {
                char c = text.charAt(nameStart + k);
                char lower = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
                if (lower != lowerCaseName.charAt(k) && !(c >= 0x80 && name().equals(lowerCaseName))) {
                    return false;
                }
            }
            return true;
        }

        String name() {
            return text.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
        }

        /** The value, a quoted one with its backslash escapes undone. */
        String value() {
            return quoted ? LexicalTokens.unescaped(text, valueStart, valueEnd) : text.substring(valueStart, valueEnd);
        }
    }

    private record Section(String text, boolean encoded) {
    }

    private static Map<String, String> combine(Map<String, String> raw) {
        Map<String, String> plain = new HashMap<>();
        Map<String, TreeMap<Integer, Section>> extended = new HashMap<>();
        for (Map.Entry<String, String> parameter : raw.entrySet()) {
            String name = parameter.getKey();
            int star = name.indexOf('*');
            if (star <= 0) {
                plain.putIfAbsent(name, parameter.getValue());
                continue;
            }
            String base = name.substring(0, star);
            String rest = name.substring(star + 1);
            boolean encoded = rest.endsWith("*") || rest.isEmpty();
            String digits = rest.endsWith("*") ? rest.substring(0, rest.length() - 1) : rest;
            int section = digits.isEmpty() ? 0 : sectionNumber(digits);
            if (section < 0) {
                plain.putIfAbsent(name, parameter.getValue());
                continue;
            }
            extended.computeIfAbsent(base, b -> new TreeMap<>())
                    .putIfAbsent(section, new Section(parameter.getValue(), encoded));
        }
        Map<String, String> result = new HashMap<>();
        plain.forEach((name, text) -> result.put(name, HeaderDecoder.decodeEncodedWords(text)));
        extended.forEach((name, sections) -> result.put(name, decodeSections(sections))); // RFC 2231 wins
        return result;
    }

    private static int sectionNumber(String digits) {
        if (digits.length() > MAX_SECTION_DIGITS) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
                return -1;
            }
        }
        return Integer.parseInt(digits);
    }

    /**
     * RFC 2231 sections 3 and 4: the sections in order, the first encoded one starting with charset'language';
     * encoded sections are %XX-escaped bytes, plain ones literal. Gaps in the numbering are bridged rather than
     * rejected.
     */
    private static String decodeSections(TreeMap<Integer, Section> sections) {
        String charset = null;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean first = true;
        for (Section section : sections.values()) {
            String text = section.text();
            if (section.encoded()) {
                if (first) {
                    int quote = text.indexOf('\'');
                    int secondQuote = quote < 0 ? -1 : text.indexOf('\'', quote + 1);
                    if (secondQuote >= 0) {
                        charset = text.substring(0, quote);
                        text = text.substring(secondQuote + 1);
                    }
                }
                percentDecode(text, bytes);
            } else {
                byte[] literal = text.getBytes(StandardCharsets.UTF_8);
                bytes.write(literal, 0, literal.length);
            }
            first = false;
        }
        byte[] decoded = bytes.toByteArray();
        return TextCharsets.decode(decoded, 0, decoded.length, charset);
    }

    private static void percentDecode(String text, ByteArrayOutputStream out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int escaped = c == '%' ? HeaderDecoder.hexValue(text, i + 1, text.length()) : -1;
            if (escaped >= 0) {
                out.write(escaped);
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                byte[] wide = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(wide, 0, wide.length);
            }
        }
    }
}
