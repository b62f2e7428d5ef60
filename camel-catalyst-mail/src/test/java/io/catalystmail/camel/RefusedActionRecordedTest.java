package io.catalystmail.camel;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route that succeeded but set an action header that is no boolean (CamelCatalystMailDelete=yes): its action is
 * refused, the message stays on the server, and it is still processed: its key goes to the idempotent repository, so
 * neither this consumer after a restart nor another node routes it again, and an exception handler that throws on
 * the refusal does not undo that.
 */
class RefusedActionRecordedTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("rae", "rae", "s3cret"))
            .withPerMethodLifecycle(true);

    private final Map<String, AtomicInteger> routed = new ConcurrentHashMap<>();
    private final MemoryIdempotentRepository repository = new MemoryIdempotentRepository();

    private void route(String options) throws Exception {
        context.getRegistry().bind("repo", repository);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("catalystmail:imap:127.0.0.1:" + greenMail.getImap().getPort() + "?username=rae&password=s3cret"
                     + "&idempotentRepository=#repo&exceptionHandler=#refused&initialDelay=0&delay=100" + options)
                        .routeId("mail")
                        .process(e -> {
                            String subject = e.getMessage().getHeader("Subject", String.class);
                            routed.computeIfAbsent(subject, s -> new AtomicInteger()).incrementAndGet();
                            if ("said yes".equals(subject)) {
                                e.getMessage().setHeader(CatalystMailConstants.DELETE, "yes");
                            }
                        });
            }
        });
    }

    private long polls() {
        return ((CatalystMailConsumer) context.getRoute("mail").getConsumer()).statistics().polls();
    }

    private void awaitMorePolls(int more) {
        long from = polls();
        Eventually.await(() -> polls() >= from + more, () -> "no more polls");
    }

    /** Eager or not: the key is recorded (confirmed) though the action was refused; a restarted route skips it. */
    @ParameterizedTest(name = "idempotentEager={0}")
    @ValueSource(booleans = { false, true })
    void aMessageWhoseActionWasRefusedIsRecordedAndNotRoutedAfterARestart(boolean eager) throws Exception {
        deliver(greenMail, "rae", textMessage("said yes", "x"));
        CapturedExceptions refused = new CapturedExceptions();
        context.getRegistry().bind("refused", refused);
        route("&idempotentEager=" + eager);
        assertTrue(String.valueOf(refused.next(Duration.ofSeconds(20))).contains("neither true nor false"));
        awaitMorePolls(2);
        assertEquals(1, repository.getCacheSize(), "the routed message's key recorded");
        context.getRouteController().stopRoute("mail");
        context.getRouteController().startRoute("mail");
        awaitMorePolls(3);
        assertEquals(1, routed.get("said yes").get(), "routed once, before and after the restart");
        assertEquals(1, messages(greenMail, "rae", "INBOX").size(), "the message stays on the server");
    }

    /** The refusal's exception handler throws: the message was remembered and recorded before it was told. */
    @ParameterizedTest(name = "idempotentEager={0}")
    @ValueSource(booleans = { false, true })
    void anExceptionHandlerThatThrowsOnTheRefusalDoesNotGetTheMessageRoutedAgain(boolean eager) throws Exception {
        deliver(greenMail, "rae", textMessage("said yes", "x"));
        AtomicInteger told = new AtomicInteger();
        context.getRegistry().bind("refused", new CapturedExceptions(e -> {
            if (String.valueOf(e.getMessage()).contains("neither true nor false")) {
                told.incrementAndGet();
                throw new IllegalStateException("the handler's own bug");
            }
        }));
        route("&idempotentEager=" + eager);
        Eventually.await(() -> told.get() >= 1, () -> "the refusal never reached the handler");
        awaitMorePolls(3);
        assertEquals(1, routed.get("said yes").get(), "routed once");
        assertEquals(1, told.get(), "the refusal told once");
        assertEquals(1, repository.getCacheSize(), "the routed message's key recorded");
    }
}
