package io.catalystmail.camel.pop3;

import java.io.IOException;

/**
 * The session ended without the +OK to QUIT after DELE had marked messages: the server removes them only in the
 * UPDATE state that a successful QUIT enters (RFC 1939 §6), so they may still be in the maildrop. Names the server,
 * the command, its answer (or the failure that stood in for one) and how many messages it concerns.
 */
public class Pop3QuitFailedException extends IOException {

    Pop3QuitFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
