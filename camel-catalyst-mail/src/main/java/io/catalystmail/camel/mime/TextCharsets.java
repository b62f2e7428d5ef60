package io.catalystmail.camel.mime;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the bytes of mail text into strings without ever failing: charsets named in mail are often unknown to
 * Java, misspelt or simply wrong, and undeclared 8-bit text is everywhere.
 */
final class TextCharsets {

    /**
     * Labels whose Java charset is narrower than what senders actually put under them (the same substitutions
     * browsers make, WHATWG Encoding Standard §4.2), or that Java does not know under this name. Shift_JIS mail
     * carries Windows' NEC and IBM additions (①, ㈱, 髙), which Java's Shift_JIS lacks; ISO-2022-JP mail carries the
     * NEC row 13 (①, ㈱), which Java's ISO-2022-JP lacks and its x-windows-50220 has.
     */
    private static final Map<String, String> SUPERSETS = Map.ofEntries(
            Map.entry("gb2312", "GBK"),
            Map.entry("iso-8859-8-i", "ISO-8859-8"),
            Map.entry("ks_c_5601-1987", "x-windows-949"),
            Map.entry("shift_jis", "windows-31j"),
            Map.entry("shift-jis", "windows-31j"),
            Map.entry("sjis", "windows-31j"),
            Map.entry("x-sjis", "windows-31j"),
            Map.entry("ms_kanji", "windows-31j"),
            Map.entry("csshiftjis", "windows-31j"),
            Map.entry("iso-2022-jp", "x-windows-50220"),
            Map.entry("csiso2022jp", "x-windows-50220"),
            Map.entry("macintosh", "x-MacRoman"),
            Map.entry("mac", "x-MacRoman"),
            Map.entry("x-mac-roman", "x-MacRoman"),
            Map.entry("csmacintosh", "x-MacRoman"));

    /** Every Java runtime has it (it is in java.base), though it is not one of the StandardCharsets. */
    static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

    /** Bounded: hostile mail can name any number of distinct bogus charsets. */
    private static final int CACHE_LIMIT = 256;
    private static final Map<String, Optional<Charset>> CACHE = new ConcurrentHashMap<>();

    private TextCharsets() {
    }

    /** The charset a MIME label names, or null when the label is missing or unknown. */
    static Charset lookup(String label) {
        if (label == null) {
            return null;
        }
        String name = label.trim();
        if (name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"') {
            name = name.substring(1, name.length() - 1).trim();
        }
        int language = name.indexOf('*'); // RFC 2231 section 5: charset*language in encoded-words
        if (language >= 0) {
            name = name.substring(0, language);
        }
        if (name.isEmpty() || name.length() > 64) {
            return null;
        }
        // keyed by the label as sent, so the labels of every text part ("UTF-8") are found without lower-casing a
        // copy per part; each spelling takes an entry of the bounded cache
        Optional<Charset> cached = CACHE.get(name);
        if (cached == null) {
            cached = resolved(name);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.put(name, cached);
            }
        }
        return cached.orElse(null);
    }

    private static Optional<Charset> resolved(String name) {
        String superset = SUPERSETS.get(name.toLowerCase(Locale.ROOT));
        // a runtime without the jdk.charsets module (a jlink image) has no windows-31j or x-windows-50220: the label's
        // own charset, where it has one, is the next best
        Charset charset = superset == null ? null : forName(superset);
        return Optional.ofNullable(charset != null ? charset : forName(name));
    }

    private static Charset forName(String name) {
        try {
            return Charset.forName(name);
        } catch (IllegalArgumentException unknownOrIllegalName) {
            return null;
        }
    }

    /** Decodes with the labelled charset, replacing malformed input; see {@link #decode(byte[], int, int, Charset)}. */
    static String decode(byte[] bytes, int offset, int length, String label) {
        return decode(bytes, offset, length, lookup(label));
    }

    /**
     * Decodes with {@code charset}, replacing malformed sequences. Without a charset, or with US-ASCII (mail labelled
     * so routinely carries 8-bit text): plain ASCII as is, else UTF-8 when the bytes are valid UTF-8 (RFC 6532
     * headers, unlabelled modern mail), else Windows-1252. ISO-8859-1 text with bytes in 0x80-0x9F is decoded as
     * Windows-1252, as browsers and mail readers do (WHATWG Encoding Standard): those bytes are C1 controls in
     * ISO-8859-1, which no text means, and quotes, dashes and the euro sign in Windows-1252.
     */
    static String decode(byte[] bytes, int offset, int length, Charset charset) {
        return decoded(bytes, offset, length, charset).text();
    }

    /** A text and the charset it was decoded with when that is not the declared one (null when it is). */
    record Decoded(String text, Charset fallback) {
    }

    /**
     * Like {@link #decode(byte[], int, int, String)}, and says which charset was used instead of the label when
     * the label is unknown or wrong for these bytes (8-bit bytes under US-ASCII or no label, Windows-1252 bytes
     * under ISO-8859-1).
     */
    static Decoded decodeReporting(byte[] bytes, int offset, int length, String label) {
        Charset declared = lookup(label);
        Decoded decoded = decoded(bytes, offset, length, declared);
        if (declared == null && label != null && decoded.fallback() == null) {
            // an unknown label on plain ASCII text: decoding is exact, but the label still was not honoured
            return new Decoded(decoded.text(), StandardCharsets.US_ASCII);
        }
        return decoded;
    }

    private static Decoded decoded(byte[] bytes, int offset, int length, Charset charset) {
        if (charset != null && !charset.equals(StandardCharsets.US_ASCII)) {
            if (charset.equals(StandardCharsets.ISO_8859_1) && hasC1(bytes, offset, length)) {
                return new Decoded(new String(bytes, offset, length, WINDOWS_1252), WINDOWS_1252);
            }
            return new Decoded(new String(bytes, offset, length, charset), null);
        }
        if (isAscii(bytes, offset, length)) {
            return new Decoded(new String(bytes, offset, length, StandardCharsets.ISO_8859_1), null);
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
            return new Decoded(text, StandardCharsets.UTF_8);
        } catch (CharacterCodingException notUtf8) {
            return new Decoded(new String(bytes, offset, length, WINDOWS_1252), WINDOWS_1252);
        }
    }

    /** Bytes 0x80-0x9F: C1 controls in ISO-8859-1, which no text means; quotes, dashes and the euro in Windows-1252. */
    static boolean hasC1(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            int b = bytes[i] & 0xff;
            if (b >= 0x80 && b <= 0x9f) {
                return true;
            }
        }
        return false;
    }

    static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }
}
