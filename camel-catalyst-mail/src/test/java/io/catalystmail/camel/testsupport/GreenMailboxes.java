package io.catalystmail.camel.testsupport;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Properties;

import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.base.GreenMailOperations;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** Fills and inspects GreenMail mailboxes directly in its store, for setting up and checking consumer tests. */
public final class GreenMailboxes {

    private GreenMailboxes() {
    }

    public static MailFolder folder(GreenMailOperations greenMail, String login, String name) {
        try {
            GreenMailUser user = greenMail.getUserManager().getUser(login);
            if ("INBOX".equalsIgnoreCase(name)) {
                return greenMail.getManagers().getImapHostManager().getInbox(user);
            }
            MailFolder folder = greenMail.getManagers().getImapHostManager().getFolder(user, name);
            if (folder == null) {
                folder = greenMail.getManagers().getImapHostManager().createMailbox(user, name);
            }
            return folder;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stores raw RFC 822 bytes as an unseen message; returns its UID. */
    public static long deliver(GreenMailOperations greenMail, String login, String folderName, byte[] raw) {
        try {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw));
            return folder(greenMail, login, folderName).appendMessage(message, new Flags(), new Date());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static long deliver(GreenMailOperations greenMail, String login, byte[] raw) {
        return deliver(greenMail, login, "INBOX", raw);
    }

    /** A small plain-text message. */
    public static byte[] textMessage(String subject, String body) {
        String text = "From: Sender <sender@example.test>\r\n"
                      + "To: user@example.test\r\n"
                      + "Subject: " + subject + "\r\n"
                      + "Message-ID: <" + Integer.toHexString(subject.hashCode()) + "." + System.nanoTime() + "@example.test>\r\n"
                      + "Date: Sun, 22 Nov 2026 10:00:00 +0000\r\n"
                      + "MIME-Version: 1.0\r\n"
                      + "Content-Type: text/plain; charset=UTF-8\r\n"
                      + "\r\n" + body + "\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A snapshot of the folder's messages. GreenMail hands out its live list, which the server changes while a
     * consumer works on it: copying is retried until it succeeds without a concurrent change.
     */
    public static List<StoredMessage> messages(GreenMailOperations greenMail, String login, String folderName) {
        MailFolder folder = folder(greenMail, login, folderName);
        while (true) {
            try {
                return new java.util.ArrayList<>(folder.getMessages());
            } catch (java.util.ConcurrentModificationException e) {
                Thread.onSpinWait();
            }
        }
    }

    public static byte[] bytesOf(StoredMessage message) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.getMimeMessage().writeTo(out);
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String subjectOf(StoredMessage message) {
        try {
            return message.getMimeMessage().getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
