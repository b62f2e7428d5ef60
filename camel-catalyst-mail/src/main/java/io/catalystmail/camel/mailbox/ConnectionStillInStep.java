package io.catalystmail.camel.mailbox;

/**
 * Marks a failure the client decided from answers it had read whole: no folder with the special use asked for, a
 * message above maxMessageSize found by its size and not downloaded, a message read whole that could not be mapped.
 * The connection is in step with the server, so a pool lends it to the next exchange instead of closing it and
 * logging in again; every other I/O failure may have left an answer half read and costs the connection.
 */
public interface ConnectionStillInStep {
}
