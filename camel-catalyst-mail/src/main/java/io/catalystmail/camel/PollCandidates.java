package io.catalystmail.camel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.HeaderAnswerTooLargeException;
import io.catalystmail.camel.mailbox.HeaderAnswersTooLarge;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageRef;
import org.apache.camel.spi.IdempotentRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which listed messages a poll routes, and which it only owes an action: those this consumer remembers as routed, or
 * found too large before, are left out of the rounds; those processed before (this node's reservations, eager; the
 * idempotent repository's keys, asked a round's worth at a time by the {@link RoundPlanner}) are owed their success
 * action, retried after the rounds, and never routed again.
 */
final class PollCandidates {

    /** The consumer's category: these lines are part of what the consumer says about its mailbox. */
    private static final Logger LOG = LoggerFactory.getLogger(CatalystMailConsumer.class);
    /**
     * A round of header answers (some 100 octets each) is this many fetch rounds' worth of messages (some 30 KB each):
     * a stop waits for about one fetch round's time, and the listing costs this many times fewer round trips
     * (2,000 Message-IDs from Dovecot on loopback, 4 sets at load 1.9: one fetch 15-20 ms, rounds of 1,000 15-21 ms,
     * rounds of 50 23-28 ms; each round trip costs more against a distant server).
     */
    private static final int HEADER_ROUNDS_PER_FETCH_ROUND = 20;

    private final PollParts parts;
    private final ExchangeRouting routing;
    private final OversizedMessages oversized;

    /**
     * With MESSAGE_ID keys, this poll's candidates' Message-IDs learned from their headers ({@link #learnKeys}), by
     * identity; empty when not learned. Set on the consumer's thread before the rounds are planned on the fetch-ahead
     * thread (the executor's hand-over orders the two).
     */
    private Map<String, String> messageIds = Map.of();
    /**
     * Messages whose Message-ID answer cost a connection: left out of the later header fetches, fetched in full and
     * checked instead, as after a refused one; after such an answer that named no message, the next polls ask for
     * none. Used on the consumer's thread only.
     */
    private final HeaderAnswersTooLarge headerAnswersTooLarge = new HeaderAnswersTooLarge();

    PollCandidates(PollParts parts, ExchangeRouting routing, OversizedMessages oversized) {
        this.parts = parts;
        this.routing = routing;
        this.oversized = oversized;
    }

    /**
     * The listed messages the rounds may route: not those this consumer routed and still owes an action or a
     * repository record for ({@link UnrecordedKeys}), nor those found too large before; eager, those this node
     * routed are owed their action, not routed again.
     */
    List<MessageRef> select(List<MessageRef> listed) {
        IdempotentReservations reservations = parts.reservations();
        UnfinishedActions unfinished = parts.unfinished();
        UnrecordedKeys unrecorded = routing.unrecorded();
        List<MessageRef> candidates = new ArrayList<>(listed.size());
        // eager: a key in the repository may be another node's reservation of a message in its route, so only
        // what this consumer routed is re-applied; the planner's add decides who routes the rest
        Set<String> routedHere = reservations == null ? Set.of() : reservations.routedHereAndStillListed(
                listed.stream().map(MessageRef::identity).collect(Collectors.toSet()));
        for (MessageRef ref : listed) {
            if (unfinished.remembers(ref.identity()) || unrecorded != null && unrecorded.owes(ref.identity())) {
                parts.statistics().skipped(); // routed by this consumer already: only its action is owed
                continue;
            }
            if (oversized.known(ref)) {
                // reported once, when first met; counted in every poll's summary (too large), never warned again
                LOG.debug("Message {} is above maxMessageSize, as reported before; skipped", ref.id());
                parts.statistics().tooLarge();
                if (parts.failedAction() != null && oversized.takeOwedAction(ref)) {
                    // it cost its connection before moveFailedTo could go out: done after the rounds, as owed
                    unfinished.owed(ref, parts.failedAction());
                }
            } else if (routedHere.contains(ref.identity())) {
                owe(ref);
            } else {
                candidates.add(ref);
            }
        }
        return candidates;
    }

    /**
     * With MESSAGE_ID keys and a listing that keeps what was processed (the configured action neither removes the
     * message nor, with {@code unseen=true}, marks it \Seen), learns the candidates' Message-IDs from their headers
     * before any body is fetched, so the planner skips those processed before as it does LOCATION keys. Without it
     * every poll downloaded every such message in full only to read its Message-ID (10,000 kept 30 KB mails: 300 MB
     * per poll). A candidate the server gave no answer for is fetched and checked as before
     * ({@link ExchangeRouting#routeRound}), and so is one whose answer was too large to read before: that answer
     * dropped the connection and failed its poll ({@link HeaderAnswerTooLargeException}), once.
     */
    void learnKeys(MailboxSession mailbox, List<MessageRef> candidates) throws IOException {
        messageIds = Map.of();
        headerAnswersTooLarge.pollBegins();
        if (parts.repository() == null || parts.reservations() != null || routing.keyKnownBeforeFetch()
            || !listingKeepsProcessed() || candidates.isEmpty() || !headerAnswersTooLarge.headersAsked()) {
            return;
        }
        List<MessageRef> asked = headerAnswersTooLarge.isEmpty() ? candidates : candidates.stream()
                .filter(ref -> !headerAnswersTooLarge.knows(ref.identity())).toList();
        Map<String, String> learned = new HashMap<>();
        int roundSize = HEADER_ROUNDS_PER_FETCH_ROUND * Math.max(1, parts.config().getFetchRoundSize());
        // a round at a time, as the rest of the poll: a consumer stopping mid-poll stops here at the next round (a
        // long listing of kept mail would otherwise be read to its end, or cut off by the stop's closing the socket)
        for (int from = 0; from < asked.size() && parts.consumer().isBatchAllowed(); from += roundSize) {
            try {
                learned.putAll(mailbox.messageIds(asked.subList(from, Math.min(asked.size(), from + roundSize))));
            } catch (HeaderAnswerTooLargeException e) {
                // the connection is gone, and this poll with it; the next one fetches that message in full (or, when
                // the answer named none, the next polls fetch every candidate in full and check it)
                headerAnswersTooLarge.remember(e);
                throw e;
            } catch (IOException e) {
                if (!UnfinishedActions.isRefusal(e)) {
                    throw e;
                }
                // a refusal (NO for a message expunged meanwhile, RFC 2180 §4.1.2) leaves the connection in step:
                // the candidates not learned are fetched in full and checked, as before this step existed
                LOG.warn("Could not read the Message-IDs of {} listed message(s) before fetching them ({}); they are"
                         + " fetched in full and those processed before are skipped", asked.size() - from,
                         e.getMessage());
                break;
            }
        }
        messageIds = learned;
    }

    /** Whether a message processed with the configured action is listed again by the next poll. */
    private boolean listingKeepsProcessed() {
        AfterProcessing action = routing.successAction(null);
        boolean stays = !action.delete() && action.moveTo() == null;
        // POP3 lists the whole maildrop (unseen there is the UIDL store's business, MailboxSession#list)
        return parts.pop3() ? stays : stays && (!parts.config().isUnseen() || !action.markSeen());
    }

    /**
     * Whether the planner takes a candidate: eager, when this node reserves it; with a repository (keys known before
     * the fetch), when the repository does not know it, else its action is owed (processed before, but the server
     * may not have been updated: a lost connection, a leader that died).
     */
    Predicate<MessageRef> admission() {
        IdempotentRepository repository = parts.repository();
        IdempotentReservations reservations = parts.reservations();
        if (reservations != null) {
            return ref -> {
                if (reservations.reserve(ref)) {
                    return true;
                }
                parts.statistics().skipped(); // the repository knew it: another node routes or routed it
                return false;
            };
        }
        if (repository == null || !routing.keyKnownBeforeFetch() && messageIds.isEmpty()) {
            return ref -> true;
        }
        Map<String, String> learned = messageIds;
        boolean byLocation = routing.keyKnownBeforeFetch();
        return ref -> {
            String key = byLocation ? ref.identity() : keyOf(ref, learned.get(ref.identity()));
            if (key == null || !repository.contains(key)) {
                return true;
            }
            owe(ref);
            return false;
        };
    }

    /**
     * The key the exchange would carry ({@link ExchangeRouting#toExchange}): the Message-ID, the location for a
     * message without one; null when not learned (its key is known once it is fetched).
     */
    private static String keyOf(MessageRef ref, String messageId) {
        if (messageId == null) {
            return null;
        }
        return messageId.isBlank() ? ref.identity() : messageId;
    }

    /** Whether {@link #admission()} asks the repository (a database query each, with a shared one). */
    boolean admissionLooksUp() {
        return parts.reservations() != null
               || parts.repository() != null && (routing.keyKnownBeforeFetch() || !messageIds.isEmpty());
    }

    /**
     * A message processed before: not routed; its success action is retried after the rounds (and counted there, as
     * the server answers it).
     */
    void owe(MessageRef ref) {
        AfterProcessing done = routing.successAction(null).owedAgain();
        parts.statistics().skipped();
        if (!done.isNothing()) {
            parts.unfinished().owed(ref, done);
        }
    }
}
