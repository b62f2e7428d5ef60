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

    /** The private field of GreenMail's folder that holds its listeners (HierarchicalFolder's in GreenMail 2.1). */
    static final String LISTENERS = "_mailboxListeners";
    /** The simple name of the listener GreenMail registers for an IDLE command. */
    static final String IDLE_LISTENER = "IdleFolderListener";

    private GreenMailIdle() {
    }

    /** Until the client sent {@code IDLE} {@code times} times and GreenMail listens for the user's INBOX. */
    public static void await(GreenMailOperations greenMail, String login, FaultProxy proxy, int times) {
        listeners(GreenMailboxes.folder(greenMail, login, "INBOX")); // a GreenMail that changed fails here, at once
        Eventually.await(Duration.ofSeconds(30),
                () -> proxy.timesSent(" IDLE\r\n") >= times && !idleListeners(greenMail, login).isEmpty(),
                () -> "the consumer sent IDLE " + times + " time(s) and GreenMail listens for it; it sent: "
                      + proxy.clientText() + "; GreenMail's INBOX listeners: " + listenerNames(greenMail, login)
                      + " (waiting for an " + IDLE_LISTENER + ")");
    }

    private static List<String> idleListeners(GreenMailOperations greenMail, String login) {
        return listenerNames(greenMail, login).stream().filter(IDLE_LISTENER::equals).toList();
    }

    private static List<String> listenerNames(GreenMailOperations greenMail, String login) {
        List<?> listeners = listeners(GreenMailboxes.folder(greenMail, login, "INBOX"));
        synchronized (listeners) {
            return listeners.stream().map(l -> l.getClass().getSimpleName()).toList();
        }
    }

    /**
     * The folder's private listener list, looked for in its class and the classes above; when GreenMail no longer has
     * it, a failure that says what was looked for, so an upgrade fails the test at once instead of letting it wait.
     */
    static List<?> listeners(Object folder) {
        for (Class<?> c = folder.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field field = c.getDeclaredField(LISTENERS);
                field.setAccessible(true);
                if (field.get(folder) instanceof List<?> listeners) {
                    return listeners;
                }
                break;
            } catch (NoSuchFieldException notHere) {
                // declared higher up, if at all
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw changed(folder, e);
            }
        }
        throw changed(folder, null);
    }

    private static IllegalStateException changed(Object folder, Exception cause) {
        return new IllegalStateException("GreenMailIdle reads the private List field " + LISTENERS + " of GreenMail's"
                + " folder to see the " + IDLE_LISTENER + " an IDLE registers, and " + folder.getClass().getName()
                + " (or a class above it) has none" + (cause == null ? "" : " it can read: " + cause)
                + "; GreenMail changed, adapt GreenMailIdle", cause);
    }
}
