package io.catalystmail.camel.leaks;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.FaultProxy.Direction;
import io.catalystmail.camel.testsupport.FaultProxy.Fault;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;


/**
 * The mailbox operations (a route's {@code to("catalystmail:imap:...?operation=fetch")}, POP3's uidl) used again and
 * again against a bad server, or with a streamed fetch the route abandons, leave nothing behind: the pooled IMAP
 * sessions of failed operations are closed, not kept; spooled parts are released; a streamed fetch gives its
 * connection back.
 */
class OperationLeaksTest {

    @RegisterExtension
    static GreenMailExtension greenMail = LeakGreenMail.with("ona", "ona", ServerSetupTest.IMAP, ServerSetupTest.POP3,
            ServerSetupTest.SMTP);

    /** What happens to the operation, every time; the last ones succeed and are there for what they leave open. */
    enum Scenario {
        IMAP_REFUSED_LOGIN(true), IMAP_SPEAKS_SMTP(true), IMAP_CUT_IN_A_MESSAGE(true), IMAP_STALLED_FETCH(true),
        POP3_REFUSED_LOGIN(true), POP3_CUT_LISTING(true), IMAP_FETCH_LIST(false), IMAP_ITERATOR_ABANDONED(false),
        IMAP_SPLIT_STOPS_EARLY(true);

        final boolean fails;

        Scenario(boolean fails) {
            this.fails = fails;
        }
    }

    /** Three messages with an attachment above bodyStorageThreshold: a fetch spools a file for each. */
    @BeforeEach
    void mailbox() {
        SpooledMail.keepIn(greenMail, "ona", "ona@example.test", 3);
    }

    @ParameterizedTest
    @EnumSource(Scenario.class)
    void repeatedOperationsLeaveNothingBehind(Scenario scenario) throws Exception {
        boolean pop3 = scenario.name().startsWith("POP3");
        try (FaultProxy proxy = new FaultProxy(pop3 ? greenMail.getPop3().getPort() : greenMail.getImap().getPort());
             DefaultCamelContext context = new DefaultCamelContext()) {
            String target = target(scenario, proxy);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    switch (scenario) {
                        case IMAP_ITERATOR_ABANDONED -> from("direct:op").to(target).setBody(constant("dropped"));
                        case IMAP_SPLIT_STOPS_EARLY -> from("direct:op").to(target)
                                .split(body()).streaming().stopOnException()
                                .throwException(new IllegalStateException("the route gives up at the first message"));
                        default -> from("direct:op").to(target);
                    }
                }
            });
            context.start();
            RepeatedSends.leaveNothingBehind(context.createProducerTemplate(), "direct:op", "", scenario.fails,
                    "operations (" + scenario + ")");
        }
    }

    private static String target(Scenario scenario, FaultProxy proxy) {
        int port = proxy.port();
        String password = "s3cret";
        String operation = "operation=fetch&search=ALL";
        switch (scenario) {
            case IMAP_REFUSED_LOGIN, POP3_REFUSED_LOGIN -> password = "wrong";
            case IMAP_SPEAKS_SMTP -> port = greenMail.getSmtp().getPort();
            case IMAP_CUT_IN_A_MESSAGE -> proxy.arm(Direction.SERVER_TO_CLIENT, "0123456789", 500, Fault.CUT)
                    .everyTime();
            case IMAP_STALLED_FETCH -> proxy.arm(Direction.CLIENT_TO_SERVER, "UID FETCH", 0, Fault.STALL).everyTime();
            case POP3_CUT_LISTING -> proxy.arm(Direction.CLIENT_TO_SERVER, "UIDL", 0, Fault.CUT).everyTime();
            case IMAP_ITERATOR_ABANDONED, IMAP_SPLIT_STOPS_EARLY ->
                    operation += "&fetchAs=iterator&fetchRoundSize=1";
            default -> {
                // IMAP_FETCH_LIST: a good server
            }
        }
        if (scenario.name().startsWith("POP3")) {
            operation = "operation=uidl";
        }
        return "catalystmail:" + (scenario.name().startsWith("POP3") ? "pop3" : "imap") + ":127.0.0.1:" + port
               + "?username=ona&password=" + password + "&connectTimeout=2000&readTimeout=500"
               + "&bodyStorageThreshold=1024&" + operation;
    }
}
