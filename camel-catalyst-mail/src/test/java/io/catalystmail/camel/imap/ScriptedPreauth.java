package io.catalystmail.camel.imap;

import java.time.Duration;

import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.ScriptedImapServer;

/** A real connection to a {@link ScriptedImapServer} that greets with PREAUTH: the script runs, then both close. */
final class ScriptedPreauth implements AutoCloseable {

    private final ScriptedImapServer server;
    private final ImapConnection connection;

    private ScriptedPreauth(ScriptedImapServer server, ImapConnection connection) {
        this.server = server;
        this.connection = connection;
    }

    /** A script that starts with {@code * PREAUTH [CAPABILITY IMAP4rev1 capabilities]}. */
    static ScriptedImapServer script(String capabilities) {
        return new ScriptedImapServer().send("* PREAUTH [CAPABILITY IMAP4rev1 " + capabilities + "] logged in");
    }

    /** Starts {@code script} and connects to it, 5 s read timeout, no deadline running. */
    static ScriptedPreauth connect(ScriptedImapServer script) throws Exception {
        script.start();
        ImapConnection c = ImapConnection.connect(ConnectionSettings.plain("127.0.0.1", script.port(),
                Duration.ofSeconds(5)));
        c.endDeadline();
        return new ScriptedPreauth(script, c);
    }

    ScriptedImapServer server() {
        return server;
    }

    ImapConnection connection() {
        return connection;
    }

    @Override
    public void close() throws Exception {
        connection.close();
        server.close();
    }
}
