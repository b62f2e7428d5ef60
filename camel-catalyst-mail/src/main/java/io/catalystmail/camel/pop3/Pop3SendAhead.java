package io.catalystmail.camel.pop3;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.catalystmail.camel.mailbox.MessageRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much of the next round a fetch sends ahead (RFC 2449 §6.6), and how much of it may be read past when that
 * round is never asked for (a poll that stopped early, a stopping consumer).
 *
 * <ul>
 * <li><b>Commands:</b> every command written before the replies are read may be unread by a server busy writing
 * earlier replies, so those owed, this round's own and the ones sent ahead stay within
 * {@link Pop3Conversation#PIPELINE_WINDOW}, with room left for this round's DELEs to go out behind them. A round
 * too large for any room sends nothing ahead, which is said once in the log.</li>
 * <li><b>Bytes:</b> what LIST announces for the messages sent ahead stays within {@link #BYTES} (a prefix of the
 * next round; its rest is asked for by the fetch that takes it, in the same write as that fetch reads the
 * prefix). The server streams the prefix while this round is routed; more would sit in socket buffers, and all of
 * it must be read past when the round is never asked for. A single message above it is not sent ahead: its own
 * transfer dwarfs one round trip.</li>
 * <li><b>Read past:</b> a message read past may bring at most {@link #readPastLimit} octets (twice its LIST size,
 * plus a little, for servers that count line ends as LF). A server that sends more is dropped without QUIT: no
 * deletion of the session takes effect (RFC 1939 §6), so nothing unrouted is lost; the consumer's next poll finds
 * the routed messages in its idempotent repository (POP3's default) and deletes them without routing them again.</li>
 * </ul>
 */
final class Pop3SendAhead {

    private static final Logger LOG = LoggerFactory.getLogger(Pop3MailboxSession.class);

    /** At most this many octets (by LIST) of the next round are sent ahead. */
    static final long BYTES = 1024 * 1024;

    /**
     * The servers (as configured) told about already: said once, as a consumer polls on and the reason does not change
     * between polls. As many entries as endpoints configured, never more.
     */
    private static final Set<String> SAID_NO_ROOM = ConcurrentHashMap.newKeySet();

    private Pop3SendAhead() {
    }

    /**
     * The messages of {@code upcoming} to send ahead, in order.
     *
     * @param wanted  this round's messages (all get a DELE behind the round sent ahead when routed)
     * @param owed    commands already written whose replies are unread
     * @param rest    this round's RETRs written with the ones sent ahead
     * @param maxSize maxMessageSize: a larger message is never retrieved
     */
    static List<MessageRef> choose(List<MessageRef> upcoming, List<MessageRef> wanted, int owed, int rest, long maxSize,
            String server) {
        int room = Math.min(Pop3Conversation.PIPELINE_WINDOW - owed - rest,
                Pop3Conversation.PIPELINE_WINDOW - wanted.size());
        if (room <= 0) {
            if (SAID_NO_ROOM.add(server)) {
                LOG.info("POP3 server {}: rounds of {} messages leave no room to send the next round's RETRs ahead"
                        + " ({} commands at most unanswered, so a pipelined write never waits for a server busy"
                        + " writing replies): each round starts one round trip after the one before; fetchRoundSize"
                        + " below {} sends ahead", server, wanted.size(), Pop3Conversation.PIPELINE_WINDOW,
                        Pop3Conversation.PIPELINE_WINDOW / 2);
            }
            return List.of();
        }
        Set<MessageRef> now = new HashSet<>(wanted);
        List<MessageRef> ahead = new ArrayList<>(Math.min(room, upcoming.size()));
        long bytes = 0;
        for (MessageRef ref : upcoming) {
            if (ahead.size() == room || ref.size() < 0 || bytes + ref.size() > BYTES) {
                break;
            }
            if (ref.size() <= maxSize && !now.contains(ref)) {
                ahead.add(ref);
                bytes += ref.size();
            }
        }
        return ahead;
    }

    /** The most a message sent ahead and never asked for may bring when it is read past. */
    static long readPastLimit(MessageRef ref) {
        return 2 * Math.max(0, ref.size()) + 1024;
    }

    /**
     * Reads past the body of a message sent ahead and never asked for, at most {@link #readPastLimit}: the server
     * then sent more than LIST announced, and the connection is dropped (see the class comment).
     */
    static void readPast(Pop3Conversation conversation, MessageRef ref) throws IOException {
        Pop3Connection connection = conversation.connection();
        long limit = readPastLimit(ref);
        if (connection.messageBody().drainAtMost(limit) > limit) {
            conversation.breakOff();
            connection.close();
            throw new IOException("POP3 server " + connection.describe() + " sent more than " + limit
                    + " octets for message " + ref.number() + " (UIDL " + ref.id() + "), whose RETR was sent ahead"
                    + " and which was not asked for, against " + ref.size() + " announced by LIST: the connection is"
                    + " dropped without QUIT, so nothing of this session is deleted (RFC 1939 §6)");
        }
    }
}
