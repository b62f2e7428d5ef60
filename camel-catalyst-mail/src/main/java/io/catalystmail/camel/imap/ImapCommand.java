package io.catalystmail.camel.imap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.catalystmail.camel.net.CommandLineSafety;

/**
 * One IMAP command being built, its arguments separated by spaces. Every user-supplied string goes through
 * {@link #string} (quoted string or literal), so nothing a user or message supplies can end the command line
 * early or add a command; syntax this project generates goes through {@link #raw}, which refuses line breaks.
 */
public final class ImapCommand {

    /** Quoted strings longer than this go as literals, which have no escaping and no line-length concerns. */
    private static final int MAX_QUOTED = 1000;

    /**
     * A text part (written as is) or a literal part (bytes); secret parts are masked when logged;
     * {@code spaceBefore} is false right after an opening and before a closing parenthesis.
     */
    record Part(String text, LiteralContent literal, boolean secret, boolean spaceBefore) {
    }

    private final String name;
    private final List<Part> parts = new ArrayList<>();
    /** The next part follows an opening parenthesis directly. */
    private boolean glued;
    /** How many entries this command's SEARCH answer may name; null: not bounded. */
    private ImapMessageOperations.AnswerSize searchAnswerSize;

    /** @param name the command name, e.g. {@code UID FETCH} (also how errors name it) */
    public ImapCommand(String name) {
        this.name = checkRaw(name);
    }

    public String name() {
        return name;
    }

    /**
     * Bounds the entries of this command's SEARCH answer at {@code entries}: one more fails the command at once,
     * naming {@code why} (where the bound comes from), and the connection is dropped.
     */
    ImapCommand boundSearchAnswer(long entries, String why) {
        searchAnswerSize = new ImapMessageOperations.AnswerSize(entries, why);
        return this;
    }

    /**
     * How many entries this command's SEARCH answer may name; null when it is not bounded. Only the size: each
     * sending counts its own answer ({@link CommandsInFlight#sent(ImapCommand)}).
     */
    ImapMessageOperations.AnswerSize searchAnswerSize() {
        return searchAnswerSize;
    }

    /** True when a literal of this command is synchronizing: sending it means awaiting a continuation first. */
    boolean needsContinuation(Capabilities capabilities) {
        for (Part part : parts) {
            if (part.literal() != null && !capabilities.nonSynchronizingLiteral(part.literal().size())) {
                return true;
            }
        }
        return false;
    }

    List<Part> parts() {
        return Collections.unmodifiableList(parts);
    }

    /** Protocol syntax this project composed: sequence sets, parenthesised item lists, keywords. */
    public ImapCommand raw(String syntax) {
        add(new Part(checkRaw(syntax), null, false, !glued));
        return this;
    }

    /** Opens a parenthesised group: "(" glued to the part that follows. */
    public ImapCommand openGroup() {
        add(new Part("(", null, false, !glued));
        glued = true;
        return this;
    }

    /** Closes a parenthesised group: ")" glued to the part before. */
    public ImapCommand closeGroup() {
        glued = false;
        add(new Part(")", null, false, false));
        return this;
    }

    private void add(Part part) {
        parts.add(part);
        glued = false;
    }

    public ImapCommand number(long n) {
        return raw(Long.toString(n));
    }

    /**
     * An atom that comes from configuration, such as a keyword flag: only ATOM-CHARs (RFC 3501 §9) are
     * accepted, so it can't smuggle syntax.
     */
    public ImapCommand atom(String atom) {
        if (atom.isEmpty()) {
            throw new IllegalArgumentException("empty IMAP atom");
        }
        for (int i = 0; i < atom.length(); i++) {
            char c = atom.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
                throw new IllegalArgumentException("not a valid IMAP atom: '" + atom + "'");
            }
        }
        add(new Part(atom, null, false, !glued));
        return this;
    }

    /** A user-supplied string: quoted when it is short printable ASCII, else a literal of its UTF-8 bytes. */
    public ImapCommand string(String value) {
        return string(value, false);
    }

    /** Like {@link #string} but masked in logs (passwords). */
    public ImapCommand secret(String value) {
        return string(value, true);
    }

    /**
     * A mailbox name, encoded in modified UTF-7 (RFC 3501 §5.1.3). Control characters are refused: encoding
     * would carry them safely, but a name with CR, LF or NUL is never intended and always an injection attempt.
     */
    public ImapCommand mailbox(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("an IMAP mailbox name can't contain control characters such as CR, LF or NUL");
            }
        }
        return string(ModifiedUtf7.encode(name));
    }

    /**
     * A literal streamed from its source when the command is written, such as the message of an APPEND
     * (RFC 3501 §6.3.11); synchronizing unless the server offers LITERAL+ (or LITERAL- and it is small, RFC 7888).
     */
    public ImapCommand literal(LiteralContent content) {
        add(new Part(null, content, false, !glued));
        return this;
    }

    /** Text written as is but masked in logs (a SASL initial response, already base64). */
    ImapCommand secretRaw(String syntax) {
        add(new Part(checkRaw(syntax), null, true, !glued));
        return this;
    }

    private ImapCommand string(String value, boolean secret) {
        if (value.indexOf('\0') >= 0) {
            // NUL can't travel in a quoted string nor in a (non-binary) literal: RFC 3501 §9 CHAR8 excludes it
            throw new IllegalArgumentException("an IMAP string can't contain NUL");
        }
        if (value.length() <= MAX_QUOTED && value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '"' || c == '\\') {
                    quoted.append('\\');
                }
                quoted.append(c);
            }
            add(new Part(quoted.append('"').toString(), null, secret, !glued));
        } else {
            add(new Part(null, LiteralContent.of(value.getBytes(StandardCharsets.UTF_8)), secret, !glued));
        }
        return this;
    }

    private static String checkRaw(String syntax) {
        if (CommandLineSafety.breaksTheLine(syntax)) {
            throw new IllegalArgumentException("line break or NUL in IMAP command syntax");
        }
        return syntax;
    }

    /** The command as it may appear in a log: secrets masked, literals by size only. */
    String loggable() {
        StringBuilder sb = new StringBuilder(name);
        for (Part p : parts) {
            if (p.spaceBefore()) {
                sb.append(' ');
            }
            if (p.secret()) {
                sb.append("***");
            } else if (p.literal() != null) {
                sb.append('{').append(p.literal().size()).append('}');
            } else {
                sb.append(p.text().length() > 300 ? p.text().substring(0, 300) + "..." : p.text());
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return loggable();
    }
}
