package io.catalystmail.camel.imap;

import java.util.List;

/**
 * A response code such as {@code [UIDVALIDITY 3857529045]} or {@code [PERMANENTFLAGS (\Seen \*)]}
 * (RFC 3501 §7.1). Arguments keep the reader's value model: String for atoms and quoted strings, byte[] for
 * literals, List for parenthesised lists, null for NIL.
 *
 * @param name upper-case code name
 * @param args the arguments after the name
 */
public record ResponseCode(String name, List<Object> args) {

    public ResponseCode {
        args = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(args));
    }

    /** The {@code index}th argument as a number (UIDVALIDITY, UIDNEXT, APPENDUID...). */
    public long number(int index) throws ImapProtocolException {
        if (index >= args.size()) {
            throw new ImapProtocolException("response code " + name + " lacks argument " + (index + 1));
        }
        return ImapValues.number(args.get(index));
    }
}
