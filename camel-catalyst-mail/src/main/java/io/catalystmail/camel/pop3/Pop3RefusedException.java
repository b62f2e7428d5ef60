package io.catalystmail.camel.pop3;

import java.io.IOException;

/**
 * The server answered a command with -ERR. Unlike other I/O failures the connection is still in step and the
 * session usable; the message quotes the server's reply.
 */
public class Pop3RefusedException extends IOException {

    public Pop3RefusedException(String message) {
        super(message);
    }
}
