package io.catalystmail.camel.interop;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.catalystmail.camel.interop.InteropServers.HOST;
import static io.catalystmail.camel.interop.InteropServers.PASSWORD;
import static io.catalystmail.camel.interop.InteropServers.address;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw bytes through every stuffing layer there is: the producer dot-stuffs for SMTP, Postfix unstuffs and stuffs
 * again for LMTP, Dovecot stores, then IMAP sends a literal and POP3 dot-stuffs once more for the consumer to
 * undo. Lines of dots, 8-bit octets and a line that is only a dot must come out exactly as they went in.
 */
class RawBytesInteropIT extends InteropTestSupport {

    private static final String USER = "bob";

    @BeforeEach
    void emptyMailbox() {
        Mailboxes.empty(USER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "imaps, CATALYST_IMAPS_PORT", "pop3s, CATALYST_POP3S_PORT" })
    void rawMessageComesBackByteForByte(String scheme, String portVariable) throws Exception {
        String token = "raw-" + UUID.randomUUID();
        byte[] sent = ("From: " + address("alice") + "\r\nTo: " + address(USER) + "\r\nSubject: " + token
                       + "\r\nMessage-ID: <" + token + "@interop.example.test>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000"
                       + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                       + "Content-Transfer-Encoding: 8bit\r\n\r\n"
                       + ".\r\n..\r\n.leading dot\r\n...three\r\nmiddle . dot\r\n\r\nGrüße — 8 bit\r\n.\r\nlast line\r\n")
                .getBytes(StandardCharsets.UTF_8);
        Exchange result = template.send("catalystmail:smtp:" + HOST + ":" + InteropServers.SMTP
                                        + "?startTls=REQUIRED&raw=true&sslContextParameters=#" + InteropServers.TLS_BEAN,
                e -> e.getIn().setBody(sent));
        assertNull(result.getException());

        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        mock.setResultWaitTime(30_000);
        route("catalystmail:" + scheme + ":" + HOST + ":" + System.getenv(portVariable) + "?username=" + USER
              + "&password=RAW(" + PASSWORD + ")&sslContextParameters=#" + InteropServers.TLS_BEAN
              + "&raw=true&delete=true&initialDelay=0&delay=200", e -> { });
        mock.assertIsSatisfied();
        byte[] received = mock.getReceivedExchanges().get(0).getMessage().getBody(byte[].class);
        // Postfix and Dovecot put trace fields (Return-Path, Delivered-To, Received) in front; nothing else changes
        assertTrue(received.length > sent.length
                   && Arrays.equals(sent, Arrays.copyOfRange(received, received.length - sent.length, received.length)),
                () -> "received:\n" + new String(received, StandardCharsets.UTF_8));
    }
}
