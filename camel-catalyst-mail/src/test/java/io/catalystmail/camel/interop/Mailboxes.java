package io.catalystmail.camel.interop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * An independent look into the Dovecot (or James, or Cyrus) mailboxes through Jakarta Mail (a second IMAP client, not
 * the code under test): empties them before a test, creates folders, appends fixtures and reports what is stored
 * afterwards. Plain IMAP on loopback with LOGIN, so nothing here depends on the TLS setup being tested.
 */
final class Mailboxes {

    /** What one stored message looks like from outside. */
    record Stored(String subject, boolean seen, byte[] bytes) {
    }

    private Mailboxes() {
    }

    /** Removes every message of {@code user} and every folder but INBOX. */
    static void empty(String user) {
        withStore(user, store -> {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message[] all = inbox.getMessages();
            if (all.length > 0) {
                inbox.setFlags(all, new Flags(Flags.Flag.DELETED), true);
            }
            inbox.close(true);
            for (Folder f : store.getDefaultFolder().list("*")) {
                if (!f.getFullName().equalsIgnoreCase("INBOX") && f.exists()) {
                    f.delete(true);
                }
            }
            return null;
        });
    }

    /** The server's hierarchy delimiter, as its LIST answers it. */
    static char separator(String user) {
        return withStore(user, store -> store.getDefaultFolder().getSeparator());
    }

    static void createFolder(String user, String name) {
        withStore(user, store -> {
            Folder f = store.getFolder(name);
            if (!f.exists() && !f.create(Folder.HOLDS_MESSAGES)) {
                throw new IllegalStateException(InteropServers.KIND + " did not create " + name);
            }
            return null;
        });
    }

    /** APPENDs messages; Jakarta Mail gives each the INTERNALDATE of its sent date. */
    static void append(String user, String folder, List<MimeMessage> messages) {
        withStore(user, store -> {
            Folder f = store.getFolder(folder);
            f.appendMessages(messages.toArray(new Message[0]));
            return null;
        });
    }

    /** APPENDs one text message to {@code user}, sent now, from sender@example.test. */
    static void appendText(String user, String folder, String subject, String text) throws MessagingException {
        MimeMessage m = new MimeMessage(session());
        m.setFrom(new jakarta.mail.internet.InternetAddress("sender@example.test"));
        m.setRecipient(Message.RecipientType.TO, new jakarta.mail.internet.InternetAddress(
                InteropServers.address(user)));
        m.setSubject(subject, "UTF-8");
        m.setText(text, "UTF-8");
        m.setSentDate(new java.util.Date());
        m.saveChanges();
        append(user, folder, List.of(m));
    }

    /**
     * Moves every message of {@code from} into {@code to} in one command (UID MOVE, RFC 6851, where the server offers
     * it), so a consumer of {@code to} finds them all at once.
     */
    static void moveAll(String user, String from, String to) {
        withStore(user, store -> {
            Folder source = store.getFolder(from);
            source.open(Folder.READ_WRITE);
            try {
                Message[] all = source.getMessages();
                if (all.length > 0) {
                    ((IMAPFolder) source).moveMessages(all, store.getFolder(to));
                }
            } finally {
                source.close(true);
            }
            return null;
        });
    }

    static Session session() {
        Properties p = new Properties();
        p.setProperty("mail.imap.connectiontimeout", "10000");
        p.setProperty("mail.imap.timeout", "10000");
        // Dovecot stores SMTPUTF8 mail with raw UTF-8 headers (RFC 6532)
        p.setProperty("mail.mime.allowutf8", "true");
        // BODY.PEEK[]: James 3.8 sets \Seen on BODY[] even in a mailbox opened read-only (EXAMINE, RFC 3501 §6.3.2)
        p.setProperty("mail.imap.peek", "true");
        // each APPEND ~45 ms late on Cyrus without it (NoDelaySockets says why)
        p.put("mail.imap.socketFactory", new NoDelaySockets());
        return Session.getInstance(p);
    }

    /** Everything in {@code folder} as stored (BODY.PEEK[], so reading changes no flag); empty when it does not exist. */
    static List<Stored> stored(String user, String folder) {
        return withStore(user, store -> {
            List<Stored> out = new ArrayList<>();
            Folder f = store.getFolder(folder);
            if (!f.exists()) {
                return out;
            }
            f.open(Folder.READ_ONLY);
            try {
                Message[] messages = f.getMessages();
                f.fetch(messages, wholeMessages());
                for (Message m : messages) {
                    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                    m.writeTo(bytes);
                    out.add(new Stored(m.getSubject(), m.isSet(Flags.Flag.SEEN), bytes.toByteArray()));
                }
            } finally {
                f.close(false);
            }
            return out;
        });
    }

    /**
     * Everything {@link #stored} reads, asked in one FETCH for the whole folder. Read message by message, each answer
     * above 4 KB came ~45 ms late from Cyrus, which writes an answer in 4 KB pieces with Nagle's algorithm on: the
     * rest waits for the ACK of the first piece, which the client delays (60 messages of 20 KB: 3.7 s, now 0.3 s).
     */
    private static FetchProfile wholeMessages() {
        FetchProfile profile = new FetchProfile();
        profile.add(FetchProfile.Item.ENVELOPE);
        profile.add(FetchProfile.Item.FLAGS);
        profile.add(IMAPFolder.FetchProfileItem.MESSAGE);
        return profile;
    }

    static List<String> subjects(String user, String folder) {
        return stored(user, folder).stream().map(Stored::subject).sorted().toList();
    }

    /** The number of messages (no FETCH: James answers a FETCH of a message expunged meanwhile with nothing). */
    static int count(String user, String folder) {
        return withStore(user, store -> {
            Folder f = store.getFolder(folder);
            return f.exists() ? f.getMessageCount() : 0;
        });
    }

    private interface StoreWork<T> {
        T run(Store store) throws MessagingException, IOException;
    }

    /**
     * Runs {@code work} on a fresh connection, and on James up to three times. James 3.8 differs from Dovecot while a
     * consumer expunges in another session (the consumer expunges during its poll, behind its next fetch): it answers
     * a FETCH of an expunged message with nothing ("Failed to load IMAP envelope", or a bare MessagingException while
     * a body is read), or refuses it as "BAD ... Invalid messageset", where Dovecot still answers for it (RFC 3501
     * §7.4.1); and now and then it leaves a connection opened right after a delivery unanswered (a read timeout). Any
     * failure is tried again there, on a new connection; one that persists still fails the test.
     */
    private static <T> T withStore(String user, StoreWork<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return withStoreOnce(user, work);
            } catch (IllegalStateException e) {
                if (!InteropServers.james() || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private static <T> T withStoreOnce(String user, StoreWork<T> work) {
        try {
            Store store = session().getStore("imap");
            store.connect(InteropServers.HOST, InteropServers.IMAP, user, InteropServers.PASSWORD);
            try {
                return work.run(store);
            } finally {
                store.close();
            }
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("inspecting " + user + "'s mailbox on " + InteropServers.KIND + " failed: " + e, e);
        }
    }
}
