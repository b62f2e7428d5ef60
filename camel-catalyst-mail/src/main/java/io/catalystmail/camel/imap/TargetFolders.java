package io.catalystmail.camel.imap;

import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The folders messages are copied or moved to: each is looked up with LIST the first time a session needs it,
 * and created when missing and allowed (camel-mail does the same), so a missing folder never makes every
 * after-processing of a poll fail. Names are the ones the session sends to the server in COPY and MOVE.
 */
final class TargetFolders {

    /** Folders known to exist on this connection; a new connection looks again. */
    private final Set<String> known = new HashSet<>();

    void forget() {
        known.clear();
    }

    boolean isKnown(String folder) {
        return known.contains(folder);
    }

    /**
     * Makes sure each folder, named as in the options and headers, exists; a round fetched ahead is read first when
     * one must be looked up (the LIST answer must not be mixed with bodies).
     *
     * @throws MissingFolderException when a folder is missing and {@code create} is false
     */
    void ensure(ImapConnection c, Collection<String> folders, MailboxNames names, boolean create,
            FetchPipeline pipeline) throws IOException {
        // the names COPY and MOVE will send: resolved through the server's namespace and delimiter
        List<String> resolved = folders.stream().filter(Objects::nonNull).map(names::resolve).toList();
        if (!resolved.stream().allMatch(known::contains)) {
            pipeline.settle(c);
            ensure(c, resolved, create);
        }
    }

    /** Makes sure each folder (a name as the server knows it) exists. */
    private void ensure(ImapConnection c, Collection<String> folders, boolean create) throws IOException {
        for (String folder : folders) {
            if (folder == null || known.contains(folder)) {
                continue;
            }
            if (!exists(c, folder)) {
                if (!create) {
                    throw new MissingFolderException(c.settings().describe(), folder);
                }
                create(c, folder);
            }
            known.add(folder);
        }
    }

    /** LIST "" name (RFC 3501 §6.3.8): an answer without \NonExistent (RFC 5258) means the folder is there. */
    private static boolean exists(ImapConnection c, String folder) throws IOException {
        boolean[] found = { false };
        c.execute(new ImapCommand("LIST").string("").mailbox(folder), r -> {
            if (r.isUntagged("LIST") && !r.values().isEmpty() && r.values().get(0) instanceof List<?> flags
                    && flags.stream().noneMatch(f -> "\\NonExistent".equalsIgnoreCase(String.valueOf(f)))) {
                found[0] = true;
            }
        }, null);
        return found[0];
    }

    /** CREATE; a NO [ALREADYEXISTS] (RFC 5530) means another client was quicker, which is fine. */
    private static void create(ImapConnection c, String folder) throws IOException {
        ImapResponse done = c.await(c.send(new ImapCommand("CREATE").mailbox(folder)), null, null);
        if (!done.isOk() && !(done.code() != null && done.code().name().equals("ALREADYEXISTS"))) {
            throw ImapCommandException.answered(c, "CREATE", done);
        }
    }
}
