package io.catalystmail.camel.smtp;

import io.catalystmail.camel.net.ServerText;

/**
 * One complete server reply (RFC 5321 §4.2), multi-line replies joined.
 *
 * @param code         the three-digit reply code
 * @param enhancedCode the RFC 3463 enhanced status code such as {@code 5.1.1}, or null when the server sent none
 * @param text         the reply text without code and enhanced code; the lines of a multi-line reply joined
 *                     with {@code \n}
 */
public record SmtpReply(int code, String enhancedCode, String text) {

    /** The characters of the text {@link #toString} shows (it goes into errors and logs), controls escaped. */
    private static final int TEXT_SHOWN = 1000;

    public SmtpReply {
        text = text == null ? "" : text;
    }

    /** 2xx: the command succeeded. */
    public boolean isPositive() {
        return code >= 200 && code < 300;
    }

    /** 3xx: the server waits for more (DATA content, an AUTH response). */
    public boolean isIntermediate() {
        return code >= 300 && code < 400;
    }

    /** 4xx: a temporary failure; the same command may succeed later. */
    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    /** 5xx: a permanent failure. */
    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The text's lines (one for a single-line reply). */
    public String[] lines() {
        return text.split("\n", -1);
    }

    /** Like the wire form of the first line, e.g. {@code 550 5.1.1 user unknown}; further lines follow after " / ". */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder().append(code);
        if (enhancedCode != null) {
            sb.append(' ').append(enhancedCode);
        }
        if (!text.isEmpty()) {
            sb.append(' ').append(ServerText.shown(text.replace("\n", " / "), TEXT_SHOWN));
        }
        return sb.toString();
    }
}
