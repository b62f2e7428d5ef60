package io.catalystmail.camel;

import java.io.IOException;

/**
 * A poll that could not start because the server refuses a folder the configuration needs (moveTo, copyTo,
 * moveFailedTo: it does not exist and may not be created, or the server refused to create it). Nothing of the
 * mailbox is routed while it lasts, as none of it could be moved afterwards; each poll tries again. The consumer says
 * so once at WARN and once at INFO when it ends ({@link UnusableFolders}); the poll still fails, so the consumer's
 * health check, error counter and backoff see it.
 */
public class UnusableFolderException extends IOException {

    private final boolean firstOfItsKind;

    UnusableFolderException(String message, IOException cause, boolean firstOfItsKind) {
        super(message, cause);
        this.firstOfItsKind = firstOfItsKind;
    }

    /** False while the same refusal goes on poll after poll: it was reported when it began. */
    boolean firstOfItsKind() {
        return firstOfItsKind;
    }
}
