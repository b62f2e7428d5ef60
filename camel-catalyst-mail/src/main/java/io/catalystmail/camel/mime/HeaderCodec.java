package io.catalystmail.camel.mime;

import java.nio.charset.StandardCharsets;

import org.apache.james.mime4j.codec.EncoderUtil;

/**
 * Encodes values for MIME header parameters: RFC 2231 extended parameters for file names that are not plain
 * ASCII, RFC 2047 encoded words for the legacy {@code name} parameter, and RFC 2045 quoted strings.
 */
final class HeaderCodec {

    /** RFC 2231 section 3: keep each continuation segment short so the folded header stays well under 998 octets. */
    private static final int SEGMENT_LENGTH = 60;

    private HeaderCodec() {
    }

    /**
     * A file name parameter, e.g. {@code filename="a.pdf"} or, for non-ASCII or very long names,
     * {@code filename*=UTF-8''r%C3%A9sum%C3%A9.pdf} split into {@code filename*0*=...; filename*1*=...}.
     */
    static String fileNameParameter(String parameter, String fileName) {
        if (isPlainAscii(fileName) && fileName.length() <= SEGMENT_LENGTH) {
            return parameter + "=" + quoted(fileName);
        }
        String encoded = "UTF-8''" + percentEncode(fileName);
        if (encoded.length() <= SEGMENT_LENGTH) {
            return parameter + "*=" + encoded;
        }
        StringBuilder out = new StringBuilder();
        int index = 0;
        int start = 0;
        while (start < encoded.length()) {
            int end = Math.min(start + SEGMENT_LENGTH, encoded.length());
            // never split a %XX triple between two segments
            if (end < encoded.length() && encoded.charAt(end - 1) == '%') {
                end -= 1;
            } else if (end < encoded.length() && end >= 2 && encoded.charAt(end - 2) == '%') {
                end -= 2;
            }
            if (index > 0) {
                out.append("; ");
            }
            out.append(parameter).append('*').append(index).append("*=").append(encoded, start, end);
            start = end;
            index++;
        }
        return out.toString();
    }

    /**
     * The Content-Type {@code name} parameter. RFC 2047 section 5 forbids encoded words inside quoted strings,
     * but many mail clients only read this form, so non-ASCII names get it next to the RFC 2231 filename.
     */
    static String legacyNameParameter(String fileName) {
        if (isPlainAscii(fileName)) {
            return "name=" + quoted(fileName);
        }
        return "name=\"" + EncoderUtil.encodeEncodedWord(fileName, EncoderUtil.Usage.TEXT_TOKEN, 0,
                StandardCharsets.UTF_8, null) + "\"";
    }

    /** An RFC 2045 quoted string: backslash and double quote escaped. */
    static String quoted(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append('"').toString();
    }

    /** True when every character is printable US-ASCII (controls would need encoding too). */
    static boolean isPlainAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** RFC 2231 section 7 attribute-char: everything outside the token characters is %XX of its UTF-8 bytes. */
    private static String percentEncode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c > 0x20 && c < 0x7f && "*'%()<>@,;:\\\"/[]?=".indexOf(c) < 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
