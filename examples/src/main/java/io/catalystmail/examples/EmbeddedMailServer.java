package io.catalystmail.examples;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** GreenMail on loopback with SMTP, IMAP and POP3 on free ports: the examples' stand-in for a real mail server. */
public final class EmbeddedMailServer implements AutoCloseable {

    private final GreenMail greenMail;

    public EmbeddedMailServer() {
        greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_POP3) });
        greenMail.start();
    }

    /** A mailbox: GreenMail accepts the password also as an OAuth2 bearer token (XOAUTH2). */
    public EmbeddedMailServer user(String email, String login, String password) {
        greenMail.setUser(email, login, password);
        return this;
    }

    public int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    public int imapPort() {
        return greenMail.getImap().getPort();
    }

    public int pop3Port() {
        return greenMail.getPop3().getPort();
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
