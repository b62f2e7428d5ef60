package io.catalystmail.camel.mailbox;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * The round after the one being fetched, while another thread still plans it (admitting each message: an idempotent
 * repository looked up, a database query each when shared). The fetch asks between two responses whether it is
 * planned and, once it is, has the server start on it as if it had been known from the start
 * ({@link MailboxSession#fetch(List, LateRound, MailboxSession.MessageHandler)}). Neither side waits for the other:
 * a fetch that ends first announces nothing, and the round is asked for when its turn comes.
 */
public final class LateRound {

    private final Future<List<MessageRef>> planning;

    public LateRound(Future<List<MessageRef>> planning) {
        this.planning = planning;
    }

    /**
     * The planned round, or null while it is being planned; null too when the planning failed or was cancelled:
     * whoever waits for the planning learns why, the fetch simply announces nothing.
     */
    public List<MessageRef> ifPlanned() {
        if (!planning.isDone()) {
            return null;
        }
        try {
            return planning.get();
        } catch (ExecutionException | CancellationException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
