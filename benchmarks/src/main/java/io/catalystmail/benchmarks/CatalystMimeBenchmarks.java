package io.catalystmail.benchmarks;

import java.io.ByteArrayInputStream;
import java.util.concurrent.TimeUnit;

import io.catalystmail.camel.CatalystMailConfiguration;
import io.catalystmail.camel.CatalystMailConstants;
import io.catalystmail.camel.mime.MessageComposer;
import io.catalystmail.camel.mime.MessageMapper;
import io.catalystmail.camel.mime.MimeLimits;
import jakarta.activation.DataHandler;
import jakarta.mail.util.ByteArrayDataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * catalystmail's own MIME layer on the standard message: {@link MessageMapper} from bytes to a Camel message
 * (text body, alternative, attachment read to its end; and raw mode) and {@link MessageComposer} from a Camel
 * message to bytes. Compare with {@link MimeBenchmarks}, which runs bare Mime4j and Jakarta Mail.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx256m")
public class CatalystMimeBenchmarks {

    private CamelContext camel;
    private MessageMapper mapper;
    private MessageMapper rawMapper;
    private MessageComposer composer;
    private byte[] message;
    private byte[] attachment;

    @Setup
    public void start() {
        camel = new DefaultCamelContext();
        camel.start();
        mapper = new MessageMapper(MimeLimits.defaults(), false, false);
        rawMapper = new MessageMapper(MimeLimits.defaults(), false, true);
        CatalystMailConfiguration configuration = new CatalystMailConfiguration();
        configuration.setFrom("sender@example.test");
        configuration.setTo("alice@example.test");
        composer = new MessageComposer(configuration, "benchmark.example.test");
        message = TestMessage.standard("sender@example.test", "alice@example.test", 1);
        attachment = TestMessage.attachment();
    }

    @TearDown
    public void stop() throws Exception {
        camel.close();
    }

    @Benchmark
    public long mapWithMessageMapper() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        mapper.map(new ByteArrayInputStream(message), exchange.getIn());
        return ComponentUnderTest.CATALYSTMAIL.readMapped(exchange)
               + exchange.getIn().getHeader(CatalystMailConstants.ALTERNATIVE_BODY, String.class).length();
    }

    @Benchmark
    public long mapRawWithMessageMapper() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        rawMapper.map(new ByteArrayInputStream(message), exchange.getIn());
        return ComponentUnderTest.CATALYSTMAIL.readRaw(exchange);
    }

    @Benchmark
    public long composeWithMessageComposer() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getIn().setBody(TestMessage.text());
        exchange.getIn().setHeader(CatalystMailConstants.SUBJECT, TestMessage.SUBJECT);
        exchange.getIn().setHeader(CatalystMailConstants.ALTERNATIVE_BODY, TestMessage.html());
        exchange.getIn(AttachmentMessage.class).addAttachment(TestMessage.ATTACHMENT_NAME,
                new DataHandler(new ByteArrayDataSource(attachment, "application/octet-stream")));
        CountingSink sink = new CountingSink();
        composer.compose(exchange.getIn()).content().writeTo(sink);
        return sink.count();
    }
}
