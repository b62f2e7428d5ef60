package io.catalystmail.camel;

import java.util.List;
import java.util.Map;
import java.util.Queue;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.FetchedMessage;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.metrics.MailboxStatistics;
import io.catalystmail.camel.mime.MessageMapper;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.apache.camel.util.ObjectHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages into exchanges and through the route: builds each exchange while the message streams in, routes a round
 * one exchange at a time and records, per message, what the server is to be told (the success action, the failure
 * action, or nothing); the idempotent repository learns of a message only after its route succeeded.
 */
final class ExchangeRouting {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);

    private final ScheduledBatchPollingConsumer consumer;
    private final CatalystMailConfiguration config;
    private final boolean pop3;
    private final MessageMapper mapper;
    private final IdempotentRepository repository;
    /** The eager idempotent mode's reservations; null in the default mode (add after success). */
    private final IdempotentReservations reservations;
    private final UnfinishedActions unfinished;
    /** Routed messages whose key the repository failed to record; null without a repository. */
    private final UnrecordedKeys unrecorded;
    private final MailboxStatistics statistics;
    /** What happens to a message whose exchange failed: null (it stays untouched) or a move to moveFailedTo. */
    private final AfterProcessing failedAction;

    /** {@code unrecorded}: the consumer's, kept over its starts; null without a repository. */
    ExchangeRouting(PollParts parts, MessageMapper mapper, UnrecordedKeys unrecorded) {
        this.consumer = parts.consumer();
        this.config = parts.config();
        this.pop3 = parts.pop3();
        this.mapper = mapper;
        this.repository = parts.repository();
        this.reservations = parts.reservations();
        this.unfinished = parts.unfinished();
        this.unrecorded = unrecorded;
        this.statistics = parts.statistics();
        this.failedAction = parts.failedAction();
    }

    /** A message as the server names it: its UID in the folder, over POP3 its UIDL (RFC 3501 §2.3.1.1, RFC 1939 §7). */
    private String named(MessageRef ref) {
        return (pop3 ? "UIDL " : "UID ") + ref.id();
    }

    /**
     * True with LOCATION keys; a MESSAGE_ID key is known before the fetch only where {@link PollCandidates#learnKeys}
     * read it from the header, else once the message has been fetched ({@link #routedBefore}).
     */
    boolean keyKnownBeforeFetch() {
        return config.getIdempotentKey() == IdempotentKey.LOCATION;
    }

    /**
     * Routes each exchange of the queue and puts its action for the server into {@code actions}. A failure that ends
     * the poll here (the idempotent repository's, say) leaves the rest of the queue unrouted: those exchanges are
     * released with the one it came from, their spooled files deleted now rather than when the JVM exits.
     */
    void routeRound(Queue<? extends Object> exchanges, Map<MessageRef, AfterProcessing> actions) {
        while (!exchanges.isEmpty()) {
            Exchange exchange = (Exchange) exchanges.poll();
            try {
                routeOne(exchange, actions);
            } catch (RuntimeException | Error e) {
                // a routed exchange's completions ran with its unit of work: releasing it again does nothing
                discard(exchange);
                while (!exchanges.isEmpty()) {
                    discard((Exchange) exchanges.poll());
                }
                throw e;
            }
        }
    }

    private void routeOne(Exchange exchange, Map<MessageRef, AfterProcessing> actions) {
        MessageRef ref = exchange.getProperty(MessageRefProperty.NAME, MessageRef.class);
        if (!consumer.isBatchAllowed()) {
            // stopping: the message stays untouched on the server; release its temp files
            discard(exchange);
            statistics.skipped();
            return;
        }
        if (routedBefore(exchange, ref)) {
            // the repository knows its Message-ID: not routed again, only the server brought up to date, where
            // its flags at the fetch do not show that done already
            AfterProcessing owed = successAction(null).owedAgain();
            AfterProcessing done = seenAtFetch(exchange) ? owed.leftWhenSeen() : owed;
            discard(exchange);
            statistics.skipped();
            if (!done.isNothing()) {
                unfinished.routed(ref, done);
                actions.put(ref, done);
                statistics.action(done);
            }
            return;
        }
        try {
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.isFailed() || exchange.isRollbackOnly()) {
            // the route's error handler has seen the failure already; this only says what happens to the mail
            LOG.warn("{}: message {} failed in the route; it {}", statistics.mailbox(), named(ref),
                    config.getMoveFailedTo() == null ? "stays on the server, untouched"
                            : "is moved to " + config.getMoveFailedTo());
            statistics.failed();
            if (reservations != null) {
                reservations.release(ref);
            }
            if (failedAction != null) {
                actions.put(ref, failedAction);
                statistics.action(failedAction);
            }
            return;
        }
        AfterProcessing action;
        try {
            action = successAction(exchange);
        } catch (IllegalArgumentException e) {
            // the route asked for something that must not reach the server: leave the message as it is. The route
            // succeeded, so the message is remembered and its key recorded (eager: else its reservation is released
            // at the poll's end, and another node, or this one after a restart, routes it again) before the exception
            // handler is told: a handler that throws must not get it routed again
            statistics.routed();
            unfinished.giveUp(ref, e.getMessage());
            try {
                record(ref, exchange);
            } finally {
                tellRefused(exchange, ref, e);
            }
            return;
        }
        statistics.routed();
        if (!action.isNothing()) {
            unfinished.routed(ref, action);
            actions.put(ref, action);
            statistics.action(action);
        }
        // recorded after its action is remembered: a repository that fails here fails the poll, and the message,
        // routed, is owed that action by the next poll instead of being routed again
        record(ref, exchange);
    }

    /**
     * Records the routed message's key. A repository that fails here (its database down) fails the poll; the
     * message, remembered by {@link UnrecordedKeys} (and owed its action, if any), is not routed again.
     */
    private void record(MessageRef ref, Exchange exchange) {
        if (unrecorded != null) {
            unrecorded.record(ref, exchange.getProperty(MessageRefProperty.KEY, String.class));
        }
    }

    /** The routed message's refused action, to the consumer's exception handler; a handler that throws is logged. */
    private void tellRefused(Exchange exchange, MessageRef ref, IllegalArgumentException refusal) {
        try {
            consumer.getExceptionHandler().handleException(statistics.mailbox() + ": message " + named(ref)
                    + " was processed, but its after-processing was refused; it stays on the server unchanged",
                    exchange, refusal);
        } catch (RuntimeException handlerFailure) {
            LOG.warn("{}: the exception handler failed ({}) on the refused after-processing of message {}: {}",
                    statistics.mailbox(), handlerFailure, named(ref), refusal.getMessage());
        }
    }

    /** The messages routed whose key the repository has not recorded yet; null without a repository. */
    UnrecordedKeys unrecorded() {
        return unrecorded;
    }

    /**
     * Whether the FETCH found the message \Seen, as {@link #toExchange} kept it from the server's answer: not the
     * {@link CatalystMailConstants#FLAGS} header, which is the route's to read and change.
     */
    private static boolean seenAtFetch(Exchange exchange) {
        return exchange.getProperty(MessageRefProperty.SEEN_AT_FETCH, false, Boolean.class);
    }

    /** With MESSAGE_ID keys: true when the repository holds the fetched message's key. */
    private boolean routedBefore(Exchange exchange, MessageRef ref) {
        return repository != null && !keyKnownBeforeFetch()
               && repository.contains(exchange.getProperty(MessageRefProperty.KEY, String.class));
    }

    /**
     * A message the mapper could not turn into an exchange never reaches the route; it goes to the consumer's
     * exception handler (the route's error handler with {@code bridgeErrorHandler=true}) with its ids as headers.
     */
    void reportUnreadable(MailboxSession mailbox, MessageRef ref, Exception e) {
        Exchange exchange = consumer.createExchange(false);
        exchange.setProperty(MessageRefProperty.NAME, ref);
        org.apache.camel.Message in = exchange.getIn();
        in.setHeader(CatalystMailConstants.MESSAGE_KEY, ref.identity());
        in.setHeader(CatalystMailConstants.FOLDER, mailbox.folderOnServer());
        in.setHeader(pop3 ? CatalystMailConstants.UIDL : CatalystMailConstants.UID, pop3 ? ref.id() : ref.uid());
        String fate = config.getMoveFailedTo() == null ? "it stays on the server" : "it is moved to " + config.getMoveFailedTo();
        consumer.getExceptionHandler().handleException(statistics.mailbox() + ": message " + named(ref)
                + " could not be read (" + e.getMessage() + "); " + fate, exchange, e);
    }

    void discard(Exchange exchange) {
        List<Synchronization> pending = exchange.getExchangeExtension().handoverCompletions();
        if (pending != null) {
            pending.forEach(s -> s.onFailure(exchange));
        }
    }

    /**
     * Builds the exchange while the message streams in; the mapper parses it once, from the socket. The folder and
     * UIDVALIDITY headers are those of {@code mailbox}, the session that fetched it.
     */
    Exchange toExchange(FetchedMessage message, MailboxSession mailbox) throws Exception {
        Exchange exchange = consumer.createExchange(false);
        MessageRef ref = message.ref();
        statistics.fetched(message.size() >= 0 ? message.size() : ref.size());
        exchange.setProperty(MessageRefProperty.NAME, ref);
        CountingInputStream content = new CountingInputStream(message.content());
        try {
            mapper.map(content, message.size(), exchange.getIn());
        } catch (Exception | Error e) {
            discard(exchange);
            throw e;
        }
        org.apache.camel.Message in = exchange.getIn();
        String messageId = in.getHeader(CatalystMailConstants.MESSAGE_ID, String.class);
        boolean byMessageId = config.getIdempotentKey() == IdempotentKey.MESSAGE_ID && messageId != null
                              && !messageId.isBlank();
        String key = byMessageId ? messageId : ref.identity();
        // kept in a property too: the repository must get the key even when the route drops the headers
        exchange.setProperty(MessageRefProperty.KEY, key);
        in.setHeader(CatalystMailConstants.MESSAGE_KEY, key);
        in.setHeader(CatalystMailConstants.FOLDER, mailbox.folderOnServer());
        if (pop3) {
            in.setHeader(CatalystMailConstants.UIDL, ref.id());
        } else {
            in.setHeader(CatalystMailConstants.UID, ref.uid());
            in.setHeader(CatalystMailConstants.UID_VALIDITY, mailbox.uidValidity());
            in.setHeader(CatalystMailConstants.FLAGS, message.flags());
            if (message.seen() && repository != null && !keyKnownBeforeFetch()) {
                // what routeRound owes a message processed before depends on it (routedBefore, MESSAGE_ID keys)
                exchange.setProperty(MessageRefProperty.SEEN_AT_FETCH, true);
            }
            if (message.internalDate() != null) {
                in.setHeader(CatalystMailConstants.INTERNAL_DATE, message.internalDate());
            }
        }
        // the octets that came, not what LIST or RFC822.SIZE announced (the mapper reads the content to its end)
        in.setHeader(CatalystMailConstants.SIZE, content.count());
        return exchange;
    }

    /** The configured success action, overridden per exchange by the CamelCatalystMail* headers. */
    AfterProcessing successAction(Exchange exchange) {
        boolean markSeen = config.isMarkSeen();
        boolean delete = config.isDelete();
        String moveTo = config.getMoveTo();
        String copyTo = config.getCopyTo();
        if (exchange != null) {
            org.apache.camel.Message m = exchange.getMessage();
            markSeen = requireTrueOrFalse(exchange, CatalystMailConstants.MARK_SEEN, markSeen);
            delete = requireTrueOrFalse(exchange, CatalystMailConstants.DELETE, delete);
            moveTo = requireFolderName(m.getHeader(CatalystMailConstants.MOVE_TO, moveTo, String.class),
                    "header " + CatalystMailConstants.MOVE_TO);
            copyTo = requireFolderName(m.getHeader(CatalystMailConstants.COPY_TO, copyTo, String.class),
                    "header " + CatalystMailConstants.COPY_TO);
        }
        if (pop3) {
            // seen is tracked in the repository; POP3 has no folders (rejected at start for the options)
            return new AfterProcessing(false, delete, null, null);
        }
        if (ObjectHelper.isEmpty(moveTo)) {
            moveTo = null;
        }
        if (ObjectHelper.isEmpty(copyTo)) {
            copyTo = null;
        }
        // markSeen holds for moved messages too (they arrive \Seen, as with camel-mail's moveTo and delete=false)
        return new AfterProcessing(markSeen && !delete, delete, moveTo, copyTo);
    }

    /**
     * The action header {@code name} as a boolean, {@code configured} when the route did not set it. A value Camel
     * cannot read as true or false ("yes", "") is refused, as the message's action: read with a plain getHeader it
     * threw out of the round after the route had succeeded, so the message was routed again by every poll.
     */
    private static boolean requireTrueOrFalse(Exchange exchange, String name, boolean configured) {
        Object value = exchange.getMessage().getHeader(name);
        if (value == null) {
            return configured;
        }
        Boolean flag = exchange.getContext().getTypeConverter().tryConvertTo(Boolean.class, exchange, value);
        if (flag == null) {
            throw new IllegalArgumentException("The header " + name + " is neither true nor false (a "
                                               + value.getClass().getSimpleName() + "); refusing it");
        }
        return flag;
    }

    /**
     * Refuses a folder name with control characters (CR, LF, NUL...): it could only be an attempt to add IMAP
     * commands. The message names where the value came from, never the value.
     */
    static String requireFolderName(String name, String where) {
        if (name != null) {
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c < 0x20 || c == 0x7f) {
                    throw new IllegalArgumentException("The " + where + " contains a line break, NUL or other control"
                                                       + " character, which could inject IMAP commands; refusing it");
                }
            }
        }
        return name;
    }

    /** The exchange property that carries the message's {@link MessageRef} inside the consumer. */
    static final class MessageRefProperty {
        static final String NAME = "CatalystMailMessageRef";
        /** The message's key in the idempotent repository. */
        static final String KEY = "CatalystMailMessageKey";
        /** True when the server's FETCH answer showed the message \Seen (absent: it did not). */
        static final String SEEN_AT_FETCH = "CatalystMailSeenAtFetch";

        private MessageRefProperty() {
        }
    }
}
