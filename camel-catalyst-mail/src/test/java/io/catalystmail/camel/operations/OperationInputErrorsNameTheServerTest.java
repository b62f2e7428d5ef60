package io.catalystmail.camel.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConstants;
import org.apache.camel.Exchange;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Input an IMAP operation refuses before it sends anything (a folder with CR LF, a flag that is no atom, a UID set
 * with '*', a missing destination, a bad search, a raw append without a body) fails the exchange with a message that names the operation and the
 * server, as a server's refusal does: a route with several operation endpoints, and Camel 4's message history off
 * by default, otherwise leaves "The folder contains a line break ..." with no hint of which endpoint refused it.
 */
class OperationInputErrorsNameTheServerTest extends CamelTestSupport {

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("joe@example.org", "joe", "secret"))
            .withPerMethodLifecycle(true);

    private String server() {
        return "imap://127.0.0.1:" + GREEN_MAIL.getImap().getPort();
    }

    private void refusedNamingTheServer(String options, Map<String, Object> headers, String detail) {
        Exchange result = template.send("catalystmail:imap:127.0.0.1:" + GREEN_MAIL.getImap().getPort()
                + "?username=joe&password=secret&allowInsecureAuth=true&" + options,
                e -> e.getIn().setHeaders(new java.util.HashMap<>(headers)));
        IllegalArgumentException refused = assertInstanceOf(IllegalArgumentException.class, result.getException());
        String operation = options.replaceAll(".*operation=([a-z]+).*", "$1");
        assertTrue(refused.getMessage().startsWith(operation + " on " + server() + ": "), refused.getMessage());
        assertTrue(refused.getMessage().contains(detail), refused.getMessage());
    }

    @Test
    void aFolderWithALineBreakNamesTheOperationAndServer() {
        refusedNamingTheServer("operation=status", Map.of(CatalystMailConstants.OPERATION_FOLDER, "INBOX\r\nA1 LOGOUT"),
                "line break");
    }

    @Test
    void aFlagThatIsNoAtomNamesTheOperationAndServer() {
        refusedNamingTheServer("operation=store&folder=INBOX", Map.of(CatalystMailConstants.UIDS, "1",
                CatalystMailConstants.STORE_FLAGS, "$A)"), "'$A)'");
    }

    @Test
    void aUidSetWithAStarNamesTheOperationAndServer() {
        refusedNamingTheServer("operation=copy&folder=INBOX&destination=Archive", Map.of(CatalystMailConstants.UIDS,
                "1:*"), "'1:*'");
    }

    @Test
    void aMissingDestinationNamesTheOperationAndServer() {
        refusedNamingTheServer("operation=move&folder=INBOX", Map.of(CatalystMailConstants.UIDS, "1"),
                "needs a destination");
    }

    @Test
    void aRawAppendWithoutABodyNamesTheOperationAndServerAndStoresNothing() {
        refusedNamingTheServer("operation=append&folder=INBOX&raw=true", Map.of(), "has none");
        assertEquals(0, GREEN_MAIL.getReceivedMessages().length, "nothing appended");
    }

    @Test
    void aSearchThatCannotBeParsedNamesTheOperationAndServer() {
        refusedNamingTheServer("operation=search&folder=INBOX", Map.of(CatalystMailConstants.SEARCH, "FROBNICATE"),
                "FROBNICATE");
    }
}
