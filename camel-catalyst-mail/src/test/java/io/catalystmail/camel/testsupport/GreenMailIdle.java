package io.catalystmail.camel.testsupport;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.List;

import com.icegreen.greenmail.base.GreenMailOperations;
import com.icegreen.greenmail.store.MailFolder;

/**
 * Waits until a consumer idles on a GreenMail INBOX so that mail delivered next is announced. Seeing the client's
 * {@code IDLE} go out is not enough: GreenMail (2.1) answers {@code + idling} first and only then registers the
 * listener that announces new mail, and mail delivered in between is announced to nobody (it is flushed only at
 * the next command, which the idling client never sends). So this also waits for that listener, read from the
 * folder's private listener list: the only place GreenMail shows it.
 */
public final class GreenMailIdle {

    private GreenMailIdle() {
    }

    /** Until the client sent {@code IDLE} {@code times} times and GreenMail listens for the user's INBOX. */
    public static void await(GreenMailOperations greenMail, String login, FaultProxy proxy, int times) {
        Eventually.await(Duration.ofSeconds(30),
                () -> proxy.timesSent(" IDLE\r\n") >= times && listening(greenMail, login),
                () -> "the consumer sent IDLE " + times + " time(s) and GreenMail listens for it; it sent: "
                      + proxy.clientText() + "; GreenMail listens: " + listening(greenMail, login));
    }

    private static boolean listening(GreenMailOperations greenMail, String login) {
        try {
            MailFolder inbox = GreenMailboxes.folder(greenMail, login, "INBOX");
            Field field = inbox.getClass().getDeclaredField("_mailboxListeners"); // HierarchicalFolder's, not public
            field.setAccessible(true);
            List<?> listeners = (List<?>) field.get(inbox);
            synchronized (listeners) {
                return listeners.stream().anyMatch(l -> l.getClass().getSimpleName().equals("IdleFolderListener"));
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("GreenMail's folder has no listener list any more: " + e, e);
        }
    }
}
