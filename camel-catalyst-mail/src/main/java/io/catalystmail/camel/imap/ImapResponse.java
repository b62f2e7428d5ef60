package io.catalystmail.camel.imap;

import java.util.Collections;
import java.util.List;

import io.catalystmail.camel.net.ServerText;

/**
 * One server response (RFC 3501 §7): a tagged status, an untagged status or data response, or a
 * continuation request.
 */
public final class ImapResponse {

    public enum Kind { TAGGED, UNTAGGED, CONTINUATION }

    static final java.util.Set<String> STATUS_NAMES = java.util.Set.of("OK", "NO", "BAD", "BYE", "PREAUTH");

    private final Kind kind;
    private final String tag;
    private final long number;
    private final String type;
    private final ResponseCode code;
    private final String text;
    private final List<Object> values;
    private final FetchData fetch;

    private ImapResponse(Kind kind, String tag, long number, String type, ResponseCode code, String text,
            List<Object> values, FetchData fetch) {
        this.kind = kind;
        this.tag = tag;
        this.number = number;
        this.type = type;
        this.code = code;
        this.text = text;
        // EXPUNGE and EXISTS, a few per message, carry List.of(): immutable already, no wrapper needed
        this.values = values == null || values.isEmpty() ? List.of() : Collections.unmodifiableList(values);
        this.fetch = fetch;
    }

    static ImapResponse continuation(String text) {
        return new ImapResponse(Kind.CONTINUATION, "+", -1, null, null, text, null, null);
    }

    static ImapResponse status(Kind kind, String tag, String status, ResponseCode code, String text) {
        return new ImapResponse(kind, tag, -1, status, code, text, null, null);
    }

    static ImapResponse data(long number, String type, List<Object> values) {
        return new ImapResponse(Kind.UNTAGGED, "*", number, type, null, null, values, null);
    }

    static ImapResponse fetch(FetchData fetch) {
        return new ImapResponse(Kind.UNTAGGED, "*", fetch.sequence(), "FETCH", null, null, null, fetch);
    }

    public Kind kind() {
        return kind;
    }

    /** The command tag, "*" for untagged and "+" for continuation responses. */
    public String tag() {
        return tag;
    }

    /**
     * The upper-case response name: OK, NO, BAD, BYE or PREAUTH for status responses; EXISTS, EXPUNGE, RECENT,
     * FETCH, CAPABILITY, SEARCH, ESEARCH, FLAGS, LIST... for data; null for continuations.
     */
    public String type() {
        return type;
    }

    /** The number in front of EXISTS, EXPUNGE, RECENT and FETCH; -1 otherwise. */
    public long number() {
        return number;
    }

    /** The response code of a status response, null when there is none. */
    public ResponseCode code() {
        return code;
    }

    /** The human-readable text of a status response, or the (base64) text of a continuation. */
    public String text() {
        return text;
    }

    /** The values after the name of a data response (CAPABILITY atoms, SEARCH numbers...). */
    public List<Object> values() {
        return values;
    }

    /** The items of a FETCH response, null for other responses. */
    public FetchData fetch() {
        return fetch;
    }

    /** True for OK, NO, BAD, BYE and PREAUTH responses, tagged or not. */
    public boolean isStatus() {
        return kind != Kind.CONTINUATION && STATUS_NAMES.contains(type);
    }

    public boolean isOk() {
        return "OK".equals(type) && kind != Kind.CONTINUATION;
    }

    /** True for an untagged response of the given type. */
    public boolean isUntagged(String name) {
        return kind == Kind.UNTAGGED && name.equals(type);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tag);
        if (number >= 0) {
            sb.append(' ').append(number);
        }
        if (type != null) {
            sb.append(' ').append(type);
        }
        if (code != null) {
            sb.append(" [").append(code.name()).append(code.args().isEmpty() ? "" : " ...").append(']');
        }
        if (text != null) {
            sb.append(' ').append(ServerText.shown(text, 200));
        }
        if (fetch != null) {
            sb.append(' ').append(fetch);
        } else if (!values.isEmpty()) {
            sb.append(" (").append(values.size()).append(" values)");
        }
        return sb.toString();
    }
}
