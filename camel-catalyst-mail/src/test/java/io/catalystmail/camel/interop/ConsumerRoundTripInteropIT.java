package io.catalystmail.camel.interop;

import java.time.Duration;
import java.util.UUID;

import io.catalystmail.camel.testsupport.Eventually;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The full round trip into an IMAP or POP3 consumer with delete=true, over STARTTLS on the plain port and over
 * implicit TLS: every message arrives exactly once with its content, and the mailbox is empty afterwards. POP3 takes
 * rounds of 7, so a poll sends rounds ahead and DELEs behind them (both servers announce PIPELINING).
 */
class ConsumerRoundTripInteropIT extends InteropTestSupport {

    private static final String USER = "carol";

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "imap STARTTLS, imap, CATALYST_IMAP_PORT, &startTls=REQUIRED, UID SEARCH",
                 "imaps, imaps, CATALYST_IMAPS_PORT, '', UID SEARCH",
                 "pop3 STLS, pop3, CATALYST_POP3_PORT, &startTls=REQUIRED&fetchRoundSize=7, C: UIDL",
                 "pop3s, pop3s, CATALYST_POP3S_PORT, &fetchRoundSize=7, C: UIDL" })
    void messagesArriveExactlyOnceAndAreDeleted(String name, String scheme, String portVariable, String options,
                                                String listingCommand) throws Exception {
        try (ProtocolLog log = new ProtocolLog()) {
            RoundTrip trip = new RoundTrip(scheme + "-" + UUID.randomUUID());
            route("catalystmail:" + scheme + ":" + HOST + ":" + System.getenv(portVariable) + "?username=" + USER
                  + "&password=RAW(" + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN
                  + "&delete=true&initialDelay=0&delay=200" + options, trip.recorder());
            trip.send(template, "catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP + "?startTls=REQUIRED&sslContextParameters=#"
                                + InteropServers.TLS_BEAN + "&from=" + address("bob") + "&to=" + address(USER));
            trip.verifyAllArrivedOnce();
            Eventually.await(Duration.ofSeconds(30), () -> Mailboxes.count(USER, "INBOX") == 0,
                    () -> Mailboxes.count(USER, "INBOX") + " messages left in INBOX");
            // three more polls of the now empty mailbox deliver nothing again
            log.awaitMorePolls(listingCommand, 3);
            assertEquals(RoundTrip.MESSAGES, trip.exchanges());
        }
    }
}
