package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.RoutedActions;

/**
 * The after-processing a route posts while the next round is read ({@link RoutedActions}), as the
 * {@link FetchPipeline.LateCommands} of that fetch: taken between two responses and queued at once when nothing has to
 * be awaited first (every target folder looked up on this connection, no synchronizing literal); otherwise queued
 * once the round is read and the connection is in step, after the folders were prepared.
 */
final class RoutedCommands implements FetchPipeline.LateCommands {

    private final RoutedActions routed;
    private final ImapConnection connection;
    private final ImapMailboxSession session;
    private Map<MessageRef, AfterProcessing> taken;

    RoutedCommands(RoutedActions routed, ImapConnection connection, ImapMailboxSession session) {
        this.routed = routed;
        this.connection = connection;
        this.session = session;
    }

    @Override
    public boolean queue(boolean inStep) throws IOException {
        if (taken == null) {
            // in step, the fetch is done: closed now, a later post is applied by the route's own thread
            taken = inStep ? routed.closeOrTake() : routed.take();
            if (taken == null) {
                return false;
            }
        }
        if (!inStep && !queuableWhileReading()) {
            return false;
        }
        if (inStep) {
            session.prepareFoldersNow(AfterProcessing.folders(taken.values()), routed.createFolders());
        }
        session.applyNow(taken);
        return true;
    }

    private boolean queuableWhileReading() {
        MailboxNames names = session.mailboxNames();
        boolean foldersKnown = AfterProcessing.folders(taken.values()).stream().filter(Objects::nonNull)
                .map(names::resolve).allMatch(session::knowsTargetFolder);
        if (!foldersKnown) {
            return false;
        }
        Capabilities caps = connection.capabilities();
        AfterProcessingPlan plan = AfterProcessingPlan.of(taken, names, caps);
        return Stream.concat(plan.copies().stream(), plan.moves().stream())
                .noneMatch(step -> step.command().needsContinuation(caps));
    }
}
