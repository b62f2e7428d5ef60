package io.catalystmail.camel.security;

import io.catalystmail.camel.testsupport.CapturedExceptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import jakarta.activation.DataHandler;
import jakarta.mail.Flags;
import jakarta.mail.util.ByteArrayDataSource;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.ServerSetup;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.CatalystMailEndpoint;
import io.catalystmail.camel.testsupport.FaultProxy;
import io.catalystmail.camel.testsupport.GreenMailboxes;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.attachment.DefaultAttachment;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CR, LF, CRLF and NUL in every value a route or an endpoint option hands to the component, end to end through
 * Camel against GreenMail, with a recording proxy in front of each server. Each case shows a clear exception
 * that names where the value came from without echoing it, and that none of the smuggled text ever reached
 * the wire. 30 producer fields (20 per-exchange headers and attachment properties, 10 endpoint options),
 * 17 consumer options (11 IMAP, 6 POP3) and the 2 after-processing headers a route sets, each with 4
 * separators: 196 cases.
 */
class InjectionMatrixTest {

    /** The separators that could end a header line or a command line, or cut a C string. */
    enum Separator {
        CR("\r"), LF("\n"), CRLF("\r\n"), NUL("\0");

        final String text;

        Separator(String text) {
            this.text = text;
        }
    }

    /** What a smuggled SMTP line looks like; "evil" appears nowhere else in this test. */
    private static final String SMTP_PAYLOAD = "RCPT TO:<evil@example.com>";
    /** What a smuggled IMAP command looks like. */
    private static final String IMAP_PAYLOAD = "A0 DELETE INBOX";

    @RegisterExtension
    static final GreenMailExtension GREEN_MAIL = new GreenMailExtension(new ServerSetup[] {
            ServerSetupTest.SMTP.dynamicPort(), ServerSetupTest.IMAP.dynamicPort(), ServerSetupTest.POP3.dynamicPort() })
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alice@example.com", "alice", "s3cret"))
            .withPerMethodLifecycle(false);

    private static CamelContext context;
    private static ProducerTemplate template;
    private static FaultProxy smtpWire;
    private static FaultProxy imapWire;
    private static FaultProxy pop3Wire;
    private static CatalystMailEndpoint sender;
    private static CatalystMailEndpoint plainHeaderSender;
    private static final CapturedExceptions HANDLER = new CapturedExceptions();
    private static int routes;

    @BeforeAll
    static void start() throws Exception {
        smtpWire = new FaultProxy(GREEN_MAIL.getSmtp().getPort());
        imapWire = new FaultProxy(GREEN_MAIL.getImap().getPort());
        pop3Wire = new FaultProxy(GREEN_MAIL.getPop3().getPort());
        context = new DefaultCamelContext();
        context.getRegistry().bind("captured", HANDLER);
        context.start();
        template = context.createProducerTemplate();
        sender = context.getEndpoint(smtp(""), CatalystMailEndpoint.class);
        plainHeaderSender = context.getEndpoint(smtp("&allowPlainHeaders=true"), CatalystMailEndpoint.class);
    }

    @AfterAll
    static void stop() throws Exception {
        context.stop();
        smtpWire.close();
        imapWire.close();
        pop3Wire.close();
    }

    private static String smtp(String options) {
        return "catalystmail:smtp:127.0.0.1:" + smtpWire.port() + "?from=sender@example.com&to=bob@example.com" + options;
    }

    private static String imap(String options) {
        return "catalystmail:imap:127.0.0.1:" + imapWire.port() + "?username=alice&password=s3cret&initialDelay=0&delay=200"
               + "&exceptionHandler=#captured" + options;
    }

    private static String pop3(String options) {
        return "catalystmail:pop3:127.0.0.1:" + pop3Wire.port() + "?username=alice&password=s3cret&initialDelay=0&delay=200"
               + options;
    }

    // ---- producer: per-exchange headers and attachments, endpoint options

    /** A producer field: how to put a value into it, and how the error must name it. */
    private record ProducerField(String named, boolean plainHeaders, BiConsumer<Exchange, String> perExchange,
            BiConsumer<CatalystMailConfiguration, String> option, String prefix) {
    }

    private static ProducerField header(String name, String prefix) {
        return new ProducerField("header " + name, false, (e, v) -> e.getIn().setHeader(name, v), null, prefix);
    }

    private static ProducerField plainHeader(String name) {
        return new ProducerField("header " + name, true, (e, v) -> e.getIn().setHeader(name, v), null, "a@example.com");
    }

    private static ProducerField option(String name, BiConsumer<CatalystMailConfiguration, String> setter, String prefix) {
        return new ProducerField("option " + name, false, null, setter, prefix);
    }

    private static ProducerField attachment(String named, BiConsumer<Exchange, String> setter) {
        return new ProducerField(named, false, setter, null, "x");
    }

    static Stream<Arguments> producerCases() {
        List<ProducerField> fields = new ArrayList<>(List.of(
                header(CatalystMailConstants.FROM, "a@example.com"),
                header(CatalystMailConstants.TO, "a@example.com"),
                header(CatalystMailConstants.CC, "a@example.com"),
                header(CatalystMailConstants.BCC, "a@example.com"),
                header(CatalystMailConstants.REPLY_TO, "a@example.com"),
                header(CatalystMailConstants.SUBJECT, "hello"),
                header(CatalystMailConstants.ENVELOPE_FROM, "bounces@example.com"),
                header(CatalystMailConstants.CONTENT_TYPE, "text/plain"),
                header(CatalystMailConstants.DSN_NOTIFY, "SUCCESS"),
                header(CatalystMailConstants.DSN_RETURN, "FULL"),
                header(CatalystMailConstants.DSN_ENVELOPE_ID, "envelope-1"),
                plainHeader("From"), plainHeader("To"), plainHeader("Cc"), plainHeader("Bcc"), plainHeader("Reply-To"),
                plainHeader("Subject"),
                attachment("name of an attachment", (e, v) -> e.getIn(AttachmentMessage.class).addAttachmentObject(
                        "report" + v + ".txt", new DefaultAttachment(dataHandler("text/plain")))),
                attachment("Content-ID of an attachment", (e, v) -> {
                    DefaultAttachment a = new DefaultAttachment(dataHandler("image/png"));
                    a.setHeader("Content-ID", "<logo" + v + ">");
                    e.getIn(AttachmentMessage.class).addAttachmentObject("logo.png", a);
                }),
                attachment("content type of an attachment", (e, v) -> e.getIn(AttachmentMessage.class)
                        .addAttachmentObject("data.bin", new DefaultAttachment(dataHandler("application/x-data" + v)))),
                option("from", CatalystMailConfiguration::setFrom, "a@example.com"),
                option("to", CatalystMailConfiguration::setTo, "a@example.com"),
                option("cc", CatalystMailConfiguration::setCc, "a@example.com"),
                option("bcc", CatalystMailConfiguration::setBcc, "a@example.com"),
                option("replyTo", CatalystMailConfiguration::setReplyTo, "a@example.com"),
                option("subject", CatalystMailConfiguration::setSubject, "hello"),
                option("envelopeFrom", CatalystMailConfiguration::setEnvelopeFrom, "bounces@example.com"),
                option("contentType", CatalystMailConfiguration::setContentType, "text/plain"),
                option("dsnNotify", CatalystMailConfiguration::setDsnNotify, "SUCCESS"),
                option("dsnReturn", CatalystMailConfiguration::setDsnReturn, "FULL")));
        return fields.stream().flatMap(f -> Stream.of(Separator.values()).map(s -> Arguments.of(f.named(), s, f)));
    }

    private static DataHandler dataHandler(String type) {
        return new DataHandler(new ByteArrayDataSource("attached".getBytes(StandardCharsets.US_ASCII), type));
    }

    @ParameterizedTest(name = "producer {0} with {1}")
    @MethodSource("producerCases")
    void producerFieldWithALineBreakFailsAndNothingReachesTheWire(String named, Separator separator, ProducerField field)
            throws Exception {
        String evil = field.prefix() + separator.text + SMTP_PAYLOAD;
        CatalystMailEndpoint endpoint = field.plainHeaders() ? plainHeaderSender : sender;
        if (field.option() != null) {
            // a fresh endpoint whose option carries the value, as if the URI had said so
            endpoint = (CatalystMailEndpoint) context.getComponent("catalystmail").createEndpoint(smtp(""));
            field.option().accept(endpoint.getConfiguration(), evil);
        } else {
            // the same session has just carried a good mail: the refusal happens on a live connection
            Exchange good = template.send(endpoint, e -> e.getIn().setBody("good"));
            assertEquals(null, good.getException());
        }
        int mark = smtpWire.clientBytes().length;
        int received = GREEN_MAIL.getReceivedMessages().length;

        org.apache.camel.Processor exchange = e -> {
            e.getIn().setBody("body");
            if (field.perExchange() != null) {
                field.perExchange().accept(e, evil);
            }
        };
        Exception e;
        if (field.option() != null) {
            // a producer of its own: the template would reuse the producer of an earlier endpoint with this URI
            Producer producer = endpoint.createProducer();
            ServiceHelper.startService(producer);
            Exchange sent = endpoint.createExchange();
            exchange.process(sent);
            e = assertThrows(Exception.class, () -> producer.process(sent));
            ServiceHelper.stopService(producer);
        } else {
            e = template.send(endpoint, exchange).getException();
        }

        assertNotNull(e, "the exchange must fail");
        assertTrue(e.getMessage().contains(field.named()), "names the field: " + e.getMessage());
        assertTrue(e.getMessage().contains("line break or NUL"), "says why: " + e.getMessage());
        assertFalse(e.getMessage().toLowerCase(Locale.ROOT).contains("evil"), "echoes the value: " + e.getMessage());
        assertNothingSmuggled(smtpWire.clientText().substring(mark), "evil");
        assertEquals(received, GREEN_MAIL.getReceivedMessages().length, "no mail went out");
    }

    // ---- consumer: endpoint options, checked before the route starts

    /** A consumer option: its name and the start of the message that must name it. */
    private record ConsumerOption(String protocol, String name, String prefix, BiConsumer<CatalystMailConfiguration, String> setter) {
    }

    static Stream<Arguments> consumerOptionCases() {
        List<ConsumerOption> options = new ArrayList<>();
        options.add(new ConsumerOption("imap", "option folder", "Archive", CatalystMailConfiguration::setFolder));
        options.add(new ConsumerOption("imap", "option moveTo", "Archive", CatalystMailConfiguration::setMoveTo));
        options.add(new ConsumerOption("imap", "option copyTo", "Archive", CatalystMailConfiguration::setCopyTo));
        options.add(new ConsumerOption("imap", "option moveFailedTo", "Failed", CatalystMailConfiguration::setMoveFailedTo));
        for (String protocol : List.of("imap", "pop3")) {
            options.add(new ConsumerOption(protocol, "search:", "SUBJECT hello", CatalystMailConfiguration::setSearch));
            options.add(new ConsumerOption(protocol, "searchFrom:", "boss", CatalystMailConfiguration::setSearchFrom));
            options.add(new ConsumerOption(protocol, "searchTo:", "me", CatalystMailConfiguration::setSearchTo));
            options.add(new ConsumerOption(protocol, "searchSubject:", "invoice", CatalystMailConfiguration::setSearchSubject));
            options.add(new ConsumerOption(protocol, "searchBody:", "total", CatalystMailConfiguration::setSearchBody));
        }
        options.add(new ConsumerOption("imap", "since:", "now-1d", CatalystMailConfiguration::setSince));
        options.add(new ConsumerOption("imap", "before:", "1-Dec-2026", CatalystMailConfiguration::setBefore));
        options.add(new ConsumerOption("pop3", "option folder", "INBOX", CatalystMailConfiguration::setFolder));
        return options.stream().flatMap(o -> Stream.of(Separator.values())
                .map(s -> Arguments.of(o.protocol() + " " + o.name().replace(":", ""), s, o)));
    }

    @ParameterizedTest(name = "consumer {0} with {1}")
    @MethodSource("consumerOptionCases")
    void consumerOptionWithALineBreakStopsTheRouteBeforeAnythingConnects(String label, Separator separator,
            ConsumerOption option) throws Exception {
        FaultProxy wire = option.protocol().equals("imap") ? imapWire : pop3Wire;
        CatalystMailEndpoint endpoint = (CatalystMailEndpoint) context.getComponent("catalystmail")
                .createEndpoint(option.protocol().equals("imap") ? imap("") : pop3(""));
        option.setter().accept(endpoint.getConfiguration(), option.prefix() + separator.text + IMAP_PAYLOAD);
        int connections = wire.connections();
        int mark = wire.clientBytes().length;
        String routeId = "options-" + routes++;

        Exception failure = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(endpoint).routeId(routeId).to("log:never");
            }
        }));

        Throwable cause = CapturedExceptions.rootCause(failure);
        assertTrue(cause.getMessage().contains(option.name()), "names the option: " + cause.getMessage());
        assertTrue(cause.getMessage().contains("line break"), "says why: " + cause.getMessage());
        assertFalse(CapturedExceptions.fullText(failure).contains("DELETE"), "echoes the value");
        assertEquals(connections, wire.connections(), "the consumer connected");
        // the payload, not the bare word: every search asks for UNDELETED
        assertNothingSmuggled(wire.clientText().substring(mark), IMAP_PAYLOAD);
        context.getRouteController().stopRoute(routeId);
        context.removeRoute(routeId);
    }

    // ---- consumer: the after-processing headers a route sets

    static Stream<Arguments> routeHeaderCases() {
        return Stream.of(CatalystMailConstants.MOVE_TO, CatalystMailConstants.COPY_TO)
                .flatMap(h -> Stream.of(Separator.values()).map(s -> Arguments.of(h, s)));
    }

    @ParameterizedTest(name = "route sets {0} with {1}")
    @MethodSource("routeHeaderCases")
    void afterProcessingHeaderWithALineBreakLeavesTheMessageUntouched(String header, Separator separator) throws Exception {
        String subject = "steered " + header + " " + separator;
        GreenMailboxes.deliver(GREEN_MAIL, "alice", GreenMailboxes.textMessage(subject, "hello"));
        int mark = imapWire.clientBytes().length;
        HANDLER.clear();
        String routeId = "headers-" + routes++;
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(imap("")).routeId(routeId).setHeader(header, constant("Archive" + separator.text + IMAP_PAYLOAD))
                        .to("log:steered");
            }
        });
        Throwable refused;
        try {
            refused = HANDLER.next(Duration.ofSeconds(20));
        } finally {
            context.getRouteController().stopRoute(routeId);
            context.removeRoute(routeId);
        }

        assertTrue(refused.getMessage().contains("header " + header), "names the header: " + refused.getMessage());
        assertFalse(CapturedExceptions.fullText(refused).contains("DELETE"), "echoes the value");
        String wire = imapWire.clientText().substring(mark);
        assertTrue(wire.contains("FETCH"), "the message was fetched over this proxy");
        assertNothingSmuggled(wire, IMAP_PAYLOAD);
        assertFalse(wire.contains("Archive"), "no COPY or MOVE was sent");
        StoredMessage stored = GreenMailboxes.messages(GREEN_MAIL, "alice", "INBOX").stream()
                .filter(m -> subject.equals(GreenMailboxes.subjectOf(m))).findFirst().orElseThrow();
        assertFalse(stored.isSet(Flags.Flag.SEEN), "after-processing was refused as a whole: not even marked seen");
        assertFalse(stored.isSet(Flags.Flag.DELETED));
    }

    /** Neither the payload marker nor a line starting with it appears in what the client sent. */
    private static void assertNothingSmuggled(String clientBytes, String marker) {
        assertFalse(clientBytes.toLowerCase(Locale.ROOT).contains(marker.toLowerCase(Locale.ROOT)),
                "smuggled text reached the wire:\n" + clientBytes);
        for (String line : clientBytes.split("[\r\n\0]")) {
            assertFalse(line.startsWith("RCPT TO:<evil") || line.startsWith("A0 DELETE"), "smuggled line: " + line);
        }
    }
}
