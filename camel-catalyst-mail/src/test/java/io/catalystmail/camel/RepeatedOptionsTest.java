package io.catalystmail.camel;

import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An option given twice in an endpoint URI fails the endpoint's creation with an error that names it. Before, a
 * repeated delay failed with "No type converter available to convert from type: java.util.ArrayList to the required
 * type: java.time.Duration", and a repeated text option silently took the list's text: to=a&to=b sent to
 * "[a@example.org, b@example.org]", folder=A&folder=B polled the folder "[A, B]" (camel-mail 4.18 does the same).
 */
class RepeatedOptionsTest extends CamelTestSupport {

    private String refusal(String uri) {
        Throwable e = assertThrows(ResolveEndpointFailedException.class, () -> context.getEndpoint(uri));
        while (e.getCause() != null) {
            e = e.getCause();
        }
        return e.getMessage();
    }

    @Test
    void aRepeatedDurationIsNamed() {
        String message = refusal("catalystmail:imap:mail.example.test?username=u&password=p&delay=5s&delay=6s");
        assertTrue(message.startsWith("The option delay is given 2 times in the endpoint URI (delay=5s, delay=6s):"
                + " give it once"), message);
        assertFalse(message.contains("ArrayList"), message);
        assertFalse(message.contains("recipients"), "the recipients' hint is for address options only: " + message);
    }

    @Test
    void repeatedRecipientsAndFoldersAreRefusedInsteadOfTakenAsTheListsText() {
        String to = refusal("catalystmail:smtp:mail.example.test?to=a@example.org&to=b@example.org");
        assertTrue(to.contains("The option to is given 2 times in the endpoint URI (to=a@example.org, to=b@example.org)"),
                to);
        assertTrue(to.contains("to=a@example.org,b@example.org"), "says how to give several: " + to);
        String folder = refusal("catalystmail:imap:mail.example.test?username=u&password=p&folder=A&folder=B");
        assertTrue(folder.contains("The option folder is given 2 times"), folder);
    }

    /** Camel binds both spellings to the one option, the last silently winning: "B" was polled. */
    @Test
    void twoSpellingsOfOneOptionAreARepetitionToo() {
        String message = refusal("catalystmail:imap:mail.example.test?username=u&password=p&Folder=A&folder=B");
        assertTrue(message.startsWith("The option Folder is given 2 times in the endpoint URI (Folder=A, folder=B)"),
                message);
    }

    @Test
    void aRepeatedSecretIsNamedWithoutItsValues() {
        String message = refusal("catalystmail:imap:mail.example.test?username=u&password=hunter2&password=swordfish");
        assertTrue(message.contains("The option password is given 2 times in the endpoint URI: give it once"), message);
        assertFalse(message.contains("hunter2") || message.contains("swordfish"), message);
    }

    @Test
    void optionsGivenOnceStillBind() throws Exception {
        CatalystMailEndpoint endpoint = context.getEndpoint("catalystmail:smtp:mail.example.test"
                + "?to=a@example.org,b@example.org&from=c@example.org", CatalystMailEndpoint.class);
        assertEquals("a@example.org,b@example.org", endpoint.getConfiguration().getTo());
    }
}
