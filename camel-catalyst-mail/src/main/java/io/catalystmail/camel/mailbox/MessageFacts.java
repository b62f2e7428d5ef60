package io.catalystmail.camel.mailbox;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a client knows about a message when it evaluates a {@link SearchFilter} itself (POP3, where the server
 * cannot search). Header values are handed over already unfolded and RFC 2047-decoded, so matching compares
 * what a person would read.
 */
public interface MessageFacts {

    /** Every value of the header field {@code name} (case-insensitive), in order; empty when absent. */
    List<String> headerValues(String name);

    /** Every header field as a decoded {@code Name: value} line, for TEXT. */
    List<String> headerLines();

    /** Size of the message in octets, -1 when unknown. */
    long size();

    /** The body as text, or null when it has not been read (then BODY/TEXT cannot be evaluated). */
    String bodyText();

    /** The server's arrival date, null when the protocol has none (POP3). */
    Instant arrivalDate();

    /** Flags set on the message; empty when the protocol has none (POP3). */
    Set<String> flags();
}
