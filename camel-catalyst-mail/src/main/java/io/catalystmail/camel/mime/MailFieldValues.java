package io.catalystmail.camel.mime;

import java.util.Arrays;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.net.CommandLineSafety;
import org.apache.camel.Message;

/**
 * Where each addressing and subject value of an outgoing mail comes from: the CamelCatalystMail* header of the
 * exchange, then (only with allowPlainHeaders) the plain header such as {@code To}, then the endpoint option.
 * Plain headers are ignored by default because headers arriving from other components, an HTTP request for
 * instance, must not be able to redirect mail. Every value is checked for CR, LF and NUL before it is used, so
 * no exchange data can add header lines or SMTP commands.
 */
final class MailFieldValues {

    private final Message message;
    private final boolean allowPlainHeaders;

    MailFieldValues(Message message, CatalystMailConfiguration configuration) {
        this.message = message;
        this.allowPlainHeaders = configuration.isAllowPlainHeaders();
    }

    /**
     * The value for one field, or null when neither header nor option sets it.
     *
     * @param componentHeader the CamelCatalystMail* header name
     * @param plainHeader     the plain header honoured only with allowPlainHeaders, or null when there is none
     * @param optionName      the endpoint option's name, for error messages
     * @param optionValue     the endpoint option's value
     */
    String resolve(String componentHeader, String plainHeader, String optionName, String optionValue) {
        return resolve(componentHeader, plainHeader, false, optionName, optionValue);
    }

    /** @param plainAlways honour the plain header even without allowPlainHeaders (it steers no mail: Subject) */
    String resolve(String componentHeader, String plainHeader, boolean plainAlways, String optionName,
            String optionValue) {
        String value = headerValue(componentHeader);
        if (value != null) {
            return requireSingleLine(value, "header " + componentHeader);
        }
        if ((allowPlainHeaders || plainAlways) && plainHeader != null) {
            value = headerValue(plainHeader);
            if (value != null) {
                return requireSingleLine(value, "header " + plainHeader);
            }
        }
        return optionValue == null ? null : requireSingleLine(optionValue, "option " + optionName);
    }

    /** A header that has no option counterpart (DSN settings), checked like the others. */
    String header(String name) {
        String value = headerValue(name);
        return value == null ? null : requireSingleLine(value, "header " + name);
    }

    /**
     * A header carrying content rather than a header value (the alternative body): its line breaks are
     * content, made CRLF and dot-stuffed on the way out like those of the main body.
     */
    String content(String name) {
        return headerValue(name);
    }

    /**
     * The header's text, or null when it gives none: absent, blank, or a list or array with no (non-null) element, so
     * that an empty recipient list leaves the endpoint option in force as a blank String does (as camel-mail, which
     * falls back to its configured recipients when the headers set none).
     */
    private String headerValue(String name) {
        Object raw = message.getHeader(name);
        String text;
        if (raw == null) {
            return null;
        } else if (raw instanceof Collection<?> list) {
            text = list.stream().filter(Objects::nonNull).map(Object::toString).collect(Collectors.joining(", "));
        } else if (raw instanceof Object[] array) {
            text = Arrays.stream(array).filter(Objects::nonNull).map(Object::toString)
                    .collect(Collectors.joining(", "));
        } else {
            text = message.getHeader(name, String.class);
        }
        return text == null || text.isBlank() ? null : text;
    }

    /**
     * Rejects CR, LF and NUL: they would end a header line or an SMTP command early and let the rest act as
     * new headers or commands. The message names only where the value came from, never the value itself.
     */
    static String requireSingleLine(String value, String where) {
        if (CommandLineSafety.breaksTheLine(value)) {
            throw new MailCompositionException("The " + where
                    + " contains a line break or NUL character, which could inject headers or SMTP commands;"
                    + " refusing to send");
        }
        return value;
    }
}
