package io.catalystmail.camel.mime;

/**
 * Decodes the RFC 2047 encoded-words of an address field (RFC 5322 sections 3.4, 3.6.2, 3.6.3, 3.6.6, and the fields
 * of later RFCs with their syntax, {@link #isAddressField}) so that the decoded text still parses as the list that
 * was sent. An encoded-word may stand for a word of a display name (RFC 2047 section 5(3)) and its text may hold
 * specials: {@code =?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <m@x>} decoded as plain text is {@code Müller, Jörg <m@x>},
 * two mailboxes for any parser, so a route copying it into To would write to "Müller". A display name (or group
 * name) whose decoded text holds a special is therefore written as one quoted-string (RFC 5322 section 3.2.4, quote
 * and backslash escaped), as Python's email package does; one that needs no quoting, and comments, are decoded as
 * text as in any other field. Addresses stay as sent ({@link #holdsAddrSpec}). Quoted-strings and comments are
 * found by {@link LexicalTokens}.
 */
final class AddressFieldDecoder {

    /** RFC 5322 section 3.2.3 specials: a display name holding one of these must be quoted to stay one phrase. */
    private static final String SPECIALS = "()<>[]:;@\\,.\"";

    /** The specials that delimit list items, addresses, groups and comments (RFC 5322 sections 3.2.2, 3.4). */
    private static final String STRUCTURAL = ",;:<>@()\"";

    /**
     * Every field an RFC defines as a mailbox, mailbox-list or address-list, so one with a display name: RFC 5322
     * sections 3.6.2, 3.6.3, 3.6.6 and 4.5.6 (the obsolete Resent-Reply-To, which old mail still carries); RFC 8098
     * section 2.1 (Disposition-Notification-To, the read receipt request); RFC 9057 section 3 (Author). Return-Path
     * (RFC 5322 section 3.6.7) and Delivered-To (RFC 9228) carry a bare address without a phrase, nothing an
     * encoded-word may stand in; Original-Recipient (RFC 8098 section 2.3) is an address type and address.
     * Mail-Followup-To and its kin come from no RFC and are read as text.
     */
    private static final String[] ADDRESS_FIELDS = {"from", "sender", "reply-to", "to", "cc", "bcc", "resent-from",
            "resent-sender", "resent-to", "resent-cc", "resent-bcc", "resent-reply-to", "disposition-notification-to",
            "author"};

    private AddressFieldDecoder() {
    }

    /** True for the fields whose value is an address list or a mailbox (see {@link #ADDRESS_FIELDS}). */
    static boolean isAddressField(String name) {
        for (String addressField : ADDRESS_FIELDS) {
            if (AsciiNames.equalsLowerCase(name, addressField)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The unfolded value {@code text} with its encoded-words decoded and each display name that needs it quoted.
     * Linear: quoted strings, comments and angle addresses are skipped by their delimiters; each list item is looked
     * ahead of once (does it hold an addr-spec?), and a phrase that goes on past a comment once more, only when it
     * holds an encoded-word.
     */
    static String decode(String text) {
        if (text.indexOf("=?") < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int phraseStart = 0;
        int phraseEnd = -1; // where a phrase that goes on past a comment ends: looked for once per phrase
        // whether the list item going on holds an addr-spec, decided once for all of it: a comment may stand between
        // a local part and its '@' (RFC 5322 section 3.4.1, dot-atom with CFWS), so no piece of it is decoded alone
        boolean itemHoldsAddrSpec = holdsAddrSpec(text, 0, phraseEnd(text, 0));
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                i = LexicalTokens.quotedStringEnd(text, i, text.length());
            } else if (c == '(' || isDelimiter(c)) {
                if (c == '(' && i > phraseEnd && holdsWord(text, phraseStart, i)) {
                    phraseEnd = phraseEnd(text, i);
                }
                boolean namesMailbox = c == '<' || c == ':'
                        || c == '(' && i < phraseEnd && namesMailbox(text, phraseEnd);
                appendPhrase(out, text, phraseStart, i, namesMailbox, itemHoldsAddrSpec);
                int end = c == '(' ? LexicalTokens.commentEnd(text, i, text.length())
                        : c == '<' ? angleAddressEnd(text, i) : i + 1;
                if (c == '(') {
                    out.append(comment(text, i, end));
                } else {
                    out.append(text, i, end); // an angle address as sent: see holdsAddrSpec
                    itemHoldsAddrSpec = holdsAddrSpec(text, end, phraseEnd(text, end));
                }
                phraseStart = end;
                i = end;
            } else {
                i++;
            }
        }
        appendPhrase(out, text, phraseStart, text.length(), false, itemHoldsAddrSpec);
        return out.toString();
    }

    /** What ends a phrase: the angle address or group it names, or the end of a list item. */
    private static boolean isDelimiter(char c) {
        return c == '<' || c == ':' || c == ',' || c == ';';
    }

    /** True when {@code text[from, to)} holds the start of an encoded-word; never looks past {@code to}. */
    private static boolean holdsWord(String text, int from, int to) {
        for (int i = from; i + 1 < to; i++) {
            if (text.charAt(i) == '=' && text.charAt(i + 1) == '?') {
                return true;
            }
        }
        return false;
    }

    /**
     * The index of the delimiter that ends the phrase going on at {@code from} (RFC 5322 section 3.2.5: words with
     * comments between them), or the text's length.
     */
    private static int phraseEnd(String text, int from) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (isDelimiter(c)) {
                return i;
            }
            if (c == '(') {
                i = LexicalTokens.commentEnd(text, i, text.length());
            } else {
                i = c == '"' ? LexicalTokens.quotedStringEnd(text, i, text.length()) : i + 1;
            }
        }
        return i;
    }

    private static boolean namesMailbox(String text, int phraseEnd) {
        return phraseEnd < text.length() && (text.charAt(phraseEnd) == '<' || text.charAt(phraseEnd) == ':');
    }

    private static int angleAddressEnd(String text, int open) {
        int close = text.indexOf('>', open);
        return close < 0 ? text.length() : close + 1;
    }

    /**
     * Appends {@code text[from, to)}, a run of words (atoms, quoted strings, encoded-words) and white space. Only when
     * it names a mailbox or group, and an encoded-word outside its quoted strings decoded to a special, is it
     * rewritten: its words joined into one display name, put in quotes. A piece of a list item that holds an
     * addr-spec and names no mailbox is copied as sent ({@link #holdsAddrSpec}).
     */
    private static void appendPhrase(StringBuilder out, String text, int from, int to, boolean namesMailbox,
            boolean itemHoldsAddrSpec) {
        String phrase = text.substring(from, to);
        if (namesMailbox) {
            String displayName = displayNameNeedingQuotes(phrase);
            if (displayName != null) {
                int start = from;
                while (start < to && isBlank(text.charAt(start))) {
                    start++;
                }
                int end = to;
                while (end > start && isBlank(text.charAt(end - 1))) {
                    end--;
                }
                // RFC 5322 section 3.2.4 quoted-string: the quoted-pairs are RFC 2045's, quote and backslash escaped
                out.append(text, from, start).append(HeaderCodec.quoted(displayName)).append(text, end, to);
                return;
            }
        }
        if (namesMailbox) {
            out.append(HeaderDecoder.decodeEncodedWords(phrase));
            return;
        }
        String decoded = itemHoldsAddrSpec ? phrase : HeaderDecoder.decodeEncodedWords(phrase);
        out.append(bringsAStructuralSpecial(decoded, phrase) ? phrase : decoded);
    }

    /**
     * True when decoding put a character into a piece that names no mailbox which would change the list's structure:
     * {@code =?UTF-8?Q?victim=40evil.test=2C_x?=} alone as a list item (no encoded-word may stand there, RFC 2047
     * section 5(3)) decoded is {@code victim@evil.test, x}, an address that was never sent. Such a piece stays as
     * sent; one that decodes to harmless text (a name without its address) is decoded.
     */
    private static boolean bringsAStructuralSpecial(String decoded, String raw) {
        if (decoded == raw) {
            return false;
        }
        for (int i = 0; i < decoded.length(); i++) {
            if (STRUCTURAL.indexOf(decoded.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when {@code text[from, to)}, a list item up to its delimiter, holds an '@' outside quoted strings and
     * comments: an addr-spec. RFC 2047 section 5(3): an
     * encoded-word MUST NOT appear in any portion of an addr-spec, so {@code =?UTF-8?Q?a?=@example.com} is the
     * address of that local part (all of it atext, RFC 5322 section 3.2.3) and stays as sent, in an angle address
     * too. Decoded, a word holding ',' or '@' made one address several: a route copying the field would write to
     * them. Python's email decodes it and quotes the local part instead, which names another mailbox.
     */
    private static boolean holdsAddrSpec(String text, int from, int to) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == '@') {
                return true;
            }
            if (c == '(') {
                i = LexicalTokens.commentEnd(text, i, to);
            } else {
                i = c == '"' ? LexicalTokens.quotedStringEnd(text, i, to) : i + 1;
            }
        }
        return false;
    }

    /**
     * The decoded display name of {@code phrase} when it must be quoted to stay one: an encoded-word outside quoted
     * strings was decoded and the name holds a special. Null otherwise, also for a name the sender already quoted.
     */
    private static String displayNameNeedingQuotes(String phrase) {
        StringBuilder name = new StringBuilder(phrase.length());
        boolean decodedAWord = false;
        boolean decodedAQuotedWord = false;
        int segment = 0;
        int i = 0;
        while (i <= phrase.length()) {
            if (i == phrase.length() || phrase.charAt(i) == '"') {
                String words = phrase.substring(segment, i);
                String decoded = HeaderDecoder.decodeEncodedWords(words);
                decodedAWord |= !decoded.equals(words);
                name.append(decoded);
                if (i == phrase.length()) {
                    break;
                }
                int end = LexicalTokens.quotedStringEnd(phrase, i, phrase.length());
                // lenient as in any field: a word inside quotes is decoded too (see receiving.adoc)
                String content = LexicalTokens.unescaped(phrase, i + 1, LexicalTokens.quotedContentEnd(phrase, i, end));
                String decodedContent = HeaderDecoder.decodeEncodedWords(content);
                decodedAQuotedWord |= !decodedContent.equals(content);
                name.append(decodedContent);
                segment = end;
                i = end;
            } else {
                i++;
            }
        }
        String trimmed = name.toString().strip();
        // a quote or backslash decoded inside quotes would end the quoted-string or escape what follows it
        boolean breaksQuotes = decodedAQuotedWord && (trimmed.indexOf('"') >= 0 || trimmed.indexOf('\\') >= 0);
        return decodedAWord && hasSpecial(trimmed) || breaksQuotes ? trimmed : null;
    }

    /**
     * The comment {@code text[open, end)} with its encoded-words decoded (RFC 2047 section 5(2)). When a decoded
     * word brings a parenthesis or backslash, which would end or open a comment or escape what follows (RFC 5322
     * section 3.2.2 ctext), the comment is written flat: its text with every one of those as a quoted-pair.
     */
    private static String comment(String text, int open, int end) {
        String raw = text.substring(open, end);
        String decoded = HeaderDecoder.decodeEncodedWords(raw);
        if (decoded.equals(raw) || text.charAt(end - 1) != ')') {
            return decoded; // nothing decoded, or a comment never closed: as in any other field
        }
        String content = HeaderDecoder.decodeEncodedWords(LexicalTokens.unescaped(text, open + 1, end - 1));
        if (content.indexOf('(') < 0 && content.indexOf(')') < 0 && content.indexOf('\\') < 0) {
            return decoded;
        }
        StringBuilder out = new StringBuilder(content.length() + 8).append('(');
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            if (c == '(' || c == ')' || c == '\\') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.append(')').toString();
    }

    private static boolean hasSpecial(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (SPECIALS.indexOf(name.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
