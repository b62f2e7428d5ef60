package io.catalystmail.camel;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.auth.Credentials;
import io.catalystmail.camel.mailbox.AfterProcessing;
import io.catalystmail.camel.mailbox.MailboxSession;
import io.catalystmail.camel.mailbox.MessageOrder;
import io.catalystmail.camel.mailbox.MessageRef;
import io.catalystmail.camel.mailbox.SearchFilter;
import io.catalystmail.camel.net.ConnectionSettings;
import io.catalystmail.camel.testsupport.CapturedExceptions;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.health.ConsumersHealthCheckRepository;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An Error that escapes a poll (an OutOfMemoryError the bounds did not prevent) must not end the consumer, as
 * Camel's scheduler does after an Error: the session is closed, the consumer's exception handler and health check
 * see the failure, and the next poll works. No real server can throw an Error on demand inside the client, so a
 * session over GreenMail throws it from list() while the test says so: the one place this suite fakes anything.
 */
class ConsumerSurvivesErrorTest {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.IMAP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("eve", "eve", "s3cret"));

    @Test
    void errorEscapingAPollIsReportedAndTheNextPollDelivers() throws Exception {
        deliver(greenMail, "eve", textMessage("after the error", "body"));
        AtomicBoolean failing = new AtomicBoolean(true);
        AtomicInteger aborted = new AtomicInteger();
        List<String> processed = new CopyOnWriteArrayList<>();
        CapturedExceptions errors = new CapturedExceptions();
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
            registry.setExposureLevel("full");
            context.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
            registry.register(new ConsumersHealthCheckRepository());
            CatalystMailEndpoint configured = context.getEndpoint("catalystmail:imap:127.0.0.1:"
                    + greenMail.getImap().getPort() + "?username=eve&password=s3cret", CatalystMailEndpoint.class);
            CatalystMailEndpoint endpoint = new CatalystMailEndpoint(configured.getEndpointUri() + "&erring=true",
                    (CatalystMailComponent) configured.getComponent(), configured.getConfiguration()) {
                @Override
                MailboxSession createMailboxSession(ConnectionSettings settings, Credentials credentials) {
                    return new ErringSession(super.createMailboxSession(settings, credentials), failing, aborted);
                }
            };
            endpoint.setInitialDelay(0);
            endpoint.setDelay(100);
            endpoint.setExceptionHandler(errors);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(endpoint).routeId("erring")
                            .process(e -> processed.add(e.getMessage().getHeader("Subject", String.class)));
                }
            });
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                context.start();
                Throwable error = errors.next(Duration.ofSeconds(10));
                String text = CapturedExceptions.fullText(error);
                assertTrue(text.contains("OutOfMemoryError") && text.contains("127.0.0.1"), text);
                Eventually.await(Duration.ofSeconds(10), () -> health(context).map(r -> r.getState())
                        .orElse(null) == HealthCheck.State.DOWN, () -> "consumer health DOWN: " + health(context));
                assertTrue(aborted.get() >= 1, "the session of the failed poll was closed");
                assertTrue(processed.isEmpty());

                failing.set(false);
                Eventually.await(Duration.ofSeconds(10), () -> processed.contains("after the error"),
                        () -> "the next poll delivered; errors: " + errors.messagesText());
                Eventually.await(Duration.ofSeconds(10), () -> health(context).map(r -> r.getState())
                        .orElse(null) == HealthCheck.State.UP, () -> "consumer health UP again: " + health(context));
            });
        }
    }

    private static Optional<HealthCheck.Result> health(DefaultCamelContext context) {
        return HealthCheckHelper.invoke(context).stream()
                .filter(r -> r.getCheck().getId().startsWith("consumer:") && r.getCheck().getId().contains("erring"))
                .findFirst();
    }

    /** A real session whose list() throws an OutOfMemoryError while {@code failing}. */
    private record ErringSession(MailboxSession real, AtomicBoolean failing, AtomicInteger aborted)
            implements MailboxSession {

        @Override
        public void open() throws IOException {
            real.open();
        }

        @Override
        public boolean isAlive() {
            return real.isAlive();
        }

        @Override
        public List<MessageRef> list(SearchFilter filter, boolean onlyUnseen, MessageOrder order, int limit)
                throws IOException {
            if (failing.get()) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
            return real.list(filter, onlyUnseen, order, limit);
        }

        @Override
        public Map<MessageRef, Exception> fetch(List<MessageRef> refs, MessageHandler handler) throws IOException {
            return real.fetch(refs, handler);
        }

        @Override
        public Map<MessageRef, Exception> fetch(List<MessageRef> refs, List<MessageRef> upcoming,
                MessageHandler handler) throws IOException {
            return real.fetch(refs, upcoming, handler);
        }

        @Override
        public void apply(Map<MessageRef, AfterProcessing> actions) throws IOException {
            real.apply(actions);
        }

        @Override
        public void commit() throws IOException {
            real.commit();
        }

        @Override
        public void close() {
            real.close();
        }

        @Override
        public void abort() {
            aborted.incrementAndGet();
            real.abort();
        }
    }
}
