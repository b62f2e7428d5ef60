package io.catalystmail.camel;

import java.io.IOException;
import java.util.Collection;
import java.util.stream.Collectors;

import io.catalystmail.camel.mailbox.AfterProcessing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the server currently refuses the configured target folders, and what the log says about it: a WARN when
 * the refusal begins (the folders, the server and its answer; never the endpoint URI, which may be long), DEBUG on
 * each poll while it lasts, an INFO when the folders are usable again. The consumer's own poll-failure line and
 * Camel's "Failed polling endpoint" line stay quiet meanwhile ({@link QuietPollFailures}).
 */
final class UnusableFolders {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final String server;
    private final String mailbox;
    private boolean refusing;

    /**
     * @param server  how the server is named, e.g. {@code IMAP server imap.example.com:993}
     * @param mailbox the folder the consumer reads
     */
    UnusableFolders(String server, String mailbox) {
        this.server = server;
        this.mailbox = mailbox;
    }

    /** The failure of a poll that could not prepare {@code folders}; logged at WARN when the refusal begins. */
    UnusableFolderException refused(Collection<String> folders, IOException cause) {
        String message = "The server refuses the folder(s) " + shown(folders) + " the consumer needs (moveTo, copyTo,"
                         + " moveFailedTo): " + cause.getMessage() + ". Nothing of " + mailbox + " on " + server
                         + " is routed until it accepts them; each poll tries again";
        boolean first = !refusing;
        refusing = true;
        if (first) {
            LOG.warn(message);
        } else {
            LOG.debug(message);
        }
        return new UnusableFolderException(message, cause, first);
    }

    /** The folders were found or created: logged at INFO when this ends a refusal. */
    void usable(Collection<String> folders) {
        if (refusing) {
            refusing = false;
            LOG.info("The folder(s) {} are usable on {} now; routing {} resumes", shown(folders), server, mailbox);
        }
    }

    private static String shown(Collection<String> folders) {
        return folders.stream().map(AfterProcessing::shown).collect(Collectors.joining(", "));
    }
}
