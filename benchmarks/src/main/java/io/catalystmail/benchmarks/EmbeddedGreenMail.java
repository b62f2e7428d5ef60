package io.catalystmail.benchmarks;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Date;
import java.util.Properties;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.util.SharedFileInputStream;

/**
 * GreenMail in the driver's JVM on loopback with dynamic ports. Mailboxes are filled in-process, which is far
 * faster than any protocol; the measured runs in their child JVMs reach it over the network as usual.
 */
final class EmbeddedGreenMail implements MailServer {

    static final String HOST = "127.0.0.1";
    static final String VERSION = "2.1.3";

    private final GreenMail greenMail;
    private final Session session = Session.getInstance(new Properties());
    private final MailAccount imap;
    private final MailAccount pop3;
    private final MailAccount smtp;

    EmbeddedGreenMail(String domain, String password) {
        greenMail = new GreenMail(new ServerSetup[] {
                new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP),
                new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP),
                new ServerSetup(0, HOST, ServerSetup.PROTOCOL_POP3) });
        greenMail.start();
        imap = addUser("alice", domain, password);
        pop3 = addUser("bob", domain, password);
        smtp = addUser("carol", domain, password);
    }

    private MailAccount addUser(String login, String domain, String password) {
        MailAccount account = new MailAccount(login, login + "@" + domain, password);
        greenMail.setUser(account.address(), account.login(), password);
        return account;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port(Workload.Protocol protocol) {
        return switch (protocol) {
            case IMAP -> greenMail.getImap().getPort();
            case POP3 -> greenMail.getPop3().getPort();
            case SMTP -> greenMail.getSmtp().getPort();
        };
    }

    @Override
    public MailAccount account(Workload.Protocol protocol) {
        return switch (protocol) {
            case IMAP -> imap;
            case POP3 -> pop3;
            case SMTP -> smtp;
        };
    }

    @Override
    public void fillTo(MailAccount account, int count) throws Exception {
        MailFolder inbox = inbox(account);
        if (inbox.getMessageCount() > count) {
            empty(account);
        }
        add(account, inbox.getMessageCount() + 1, count - inbox.getMessageCount());
    }

    @Override
    public void add(MailAccount account, int first, int count) throws Exception {
        MailFolder inbox = inbox(account);
        for (int i = first; i < first + count; i++) {
            byte[] message = TestMessage.standard("sender@example.test", account.address(), i);
            inbox.appendMessage(new MimeMessage(session, new ByteArrayInputStream(message)), new Flags(), new Date());
        }
    }

    @Override
    public void storeOnly(MailAccount account, Path file) throws Exception {
        empty(account);
        // GreenMail keeps its messages in memory; the shared stream lets it read the file without another copy
        try (SharedFileInputStream in = new SharedFileInputStream(file.toFile())) {
            inbox(account).appendMessage(new MimeMessage(session, in), new Flags(), new Date());
        }
    }

    @Override
    public int count(MailAccount account) throws Exception {
        return inbox(account).getMessageCount();
    }

    @Override
    public void empty(MailAccount account) throws Exception {
        inbox(account).deleteAllMessages();
    }

    private MailFolder inbox(MailAccount account) throws FolderException {
        GreenMailUser user = greenMail.getUserManager().getUser(account.login());
        return greenMail.getManagers().getImapHostManager().getInbox(user);
    }

    @Override
    public String description() {
        return "GreenMail " + VERSION + " embedded in the driver JVM on " + HOST + " (IMAP " + port(Workload.Protocol.IMAP)
               + ", POP3 " + port(Workload.Protocol.POP3) + ", SMTP " + port(Workload.Protocol.SMTP) + ")";
    }

    @Override
    public String label() {
        return "greenmail";
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
