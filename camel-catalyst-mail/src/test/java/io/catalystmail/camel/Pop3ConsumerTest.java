package io.catalystmail.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.testsupport.Eventually;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.catalystmail.camel.testsupport.GreenMailboxes.deliver;
import static io.catalystmail.camel.testsupport.GreenMailboxes.messages;
import static io.catalystmail.camel.testsupport.GreenMailboxes.subjectOf;
import static io.catalystmail.camel.testsupport.GreenMailboxes.textMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The POP3 consumer end to end against GreenMail, with the same options and headers as IMAP. */
class Pop3ConsumerTest extends CamelTestSupport {

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.POP3.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("bob", "bob", "s3cret"));

    @TempDir
    Path tmp;

    private String pop3(String options) {
        return "catalystmail:pop3:127.0.0.1:" + greenMail.getPop3().getPort() + "?username=bob&password=s3cret"
               + "&initialDelay=0&delay=100" + (options.isEmpty() ? "" : "&" + options);
    }

    private void route(String uri, org.apache.camel.Processor step) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("mail").process(step).to("mock:result");
            }
        });
    }

    private List<String> inbox() {
        return messages(greenMail, "bob", "INBOX").stream().map(m -> subjectOf(m)).sorted().toList();
    }

    @Test
    void deletesOnlyMessagesWhoseExchangeSucceeded() throws Exception {
        for (String s : List.of("ok 1", "fail 2", "ok 3")) {
            deliver(greenMail, "bob", textMessage(s, s));
        }
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(2);
        route(pop3("delete=true"), e -> {
            if (e.getMessage().getHeader("Subject", String.class).startsWith("fail")) {
                throw new IllegalStateException("no");
            }
        });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        Eventually.await(() -> inbox().equals(List.of("fail 2")), () -> "left " + inbox());
        Exchange first = mock.getReceivedExchanges().get(0);
        assertNotNull(first.getMessage().getHeader(CatalystMailConstants.UIDL));
        assertEquals("INBOX", first.getMessage().getHeader(CatalystMailConstants.FOLDER));
        assertEquals(3, first.getProperty(Exchange.BATCH_SIZE, Integer.class));
    }

    @Test
    void unseenMeansNotProcessedBeforeAndTheFileStoreSurvivesARestart() throws Exception {
        deliver(greenMail, "bob", textMessage("first", "x"));
        Path store = tmp.resolve("uidl.dat");
        FileIdempotentRepository repo = (FileIdempotentRepository) FileIdempotentRepository
                .fileIdempotentRepository(store.toFile());
        context.getRegistry().bind("uidls", repo);
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        route(pop3("idempotentRepository=#uidls"), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        Eventually.await(() -> {
            try {
                return Files.exists(store) && !Files.readString(store).isBlank();
            } catch (Exception e) {
                return false;
            }
        }, () -> "UIDL stored");
        context.stop();

        // a new context, as after a restart: the message is still on the server but is not processed again
        deliver(greenMail, "bob", textMessage("second", "x"));
        try (org.apache.camel.impl.DefaultCamelContext again = new org.apache.camel.impl.DefaultCamelContext()) {
            FileIdempotentRepository reloaded = (FileIdempotentRepository) FileIdempotentRepository
                    .fileIdempotentRepository(store.toFile());
            again.getRegistry().bind("uidls", reloaded);
            again.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(pop3("idempotentRepository=#uidls")).to("mock:again");
                }
            });
            again.start();
            MockEndpoint second = again.getEndpoint("mock:again", MockEndpoint.class);
            second.expectedBodiesReceived("x\r\n");
            second.expectedMessageCount(1);
            second.setResultWaitTime(20_000);
        second.assertIsSatisfied();
            assertEquals("second", second.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
        }
    }

    @Test
    void keptMailIsNotRoutedAgainAfterTheRouteIsStoppedAndStarted() throws Exception {
        // delete=false and no repository: the consumer's own UIDL memory (unseen=true) is all that keeps "first" from
        // being routed on every poll; a route stop and start is no JVM restart, and must not forget it
        deliver(greenMail, "bob", textMessage("first", "x"));
        MockEndpoint mock = getMockEndpoint("mock:result");
        route(pop3("delete=false"), e -> { });
        Eventually.await(() -> mock.getReceivedCounter() == 1, () -> "routed " + mock.getReceivedCounter());
        context.getRouteController().stopRoute("mail");
        context.getRouteController().startRoute("mail");
        // the poll that routes "second" lists "first" too (it stays on the server)
        deliver(greenMail, "bob", textMessage("second", "x"));
        Eventually.await(() -> subjects(mock).contains("second"), () -> "routed " + subjects(mock));
        assertEquals(List.of("first", "second"), subjects(mock));
        assertEquals(List.of("first", "second"), inbox());
    }

    private static List<String> subjects(MockEndpoint mock) {
        return mock.getReceivedExchanges().stream().map(e -> e.getMessage().getHeader("Subject", String.class))
                .toList();
    }

    @Test
    void folderOptionsAreRejectedAtStart() {
        Exception e = assertThrows(Exception.class, () -> route(pop3("moveTo=Archive"), x -> { }));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("POP3"), root.getMessage());
    }

    @Test
    void searchFilterIsEvaluatedOnTheHeaders() throws Exception {
        deliver(greenMail, "bob", textMessage("[spam] pills", "x"));
        deliver(greenMail, "bob", textMessage("invoice 7", "x"));
        MockEndpoint mock = getMockEndpoint("mock:result");
        mock.expectedMessageCount(1);
        route(pop3("search=NOT SUBJECT \"[spam]\""), e -> { });
        mock.setResultWaitTime(20_000);
        mock.assertIsSatisfied();
        assertEquals("invoice 7", mock.getReceivedExchanges().get(0).getMessage().getHeader("Subject"));
    }
}
