package io.catalystmail.camel.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.ExceptionHandler;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A consumer exception handler (bound in the registry, named in {@code exceptionHandler=#...}) that keeps what it is given. */
public final class CapturedExceptions implements ExceptionHandler {

    private final BlockingQueue<Throwable> exceptions = new LinkedBlockingQueue<>();
    private final List<String> messages = new ArrayList<>();
    private final Consumer<Throwable> whenHandled;

    public CapturedExceptions() {
        this(exception -> {
        });
    }

    /**
     * @param whenHandled given each exception first, on the thread that hands it over: for a poll's failure, the
     *                    polling thread, before the next poll starts
     */
    public CapturedExceptions(Consumer<Throwable> whenHandled) {
        this.whenHandled = whenHandled;
    }

    @Override
    public void handleException(Throwable exception) {
        handleException(null, null, exception);
    }

    @Override
    public void handleException(String message, Throwable exception) {
        handleException(message, null, exception);
    }

    @Override
    public synchronized void handleException(String message, Exchange exchange, Throwable exception) {
        whenHandled.accept(exception);
        messages.add(String.valueOf(message));
        exceptions.add(exception);
    }

    /** The next exception handed over, waiting up to {@code limit}; fails when none comes. */
    public Throwable next(Duration limit) throws InterruptedException {
        Throwable t = exceptions.poll(limit.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(t, "no exception reached the consumer's exception handler within " + limit);
        return t;
    }

    /**
     * Starts a consumer route on {@code uri} (which has a query already) in {@code context} with this handler, one
     * poll at once and no second for ten minutes, and returns the first failure handed over, waiting up to 30 s.
     */
    public Throwable firstPollFailure(CamelContext context, String uri) throws Exception {
        context.getRegistry().bind("firstPollFailures", this);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&exceptionHandler=#firstPollFailures&initialDelay=0&delay=600000").log("routed");
            }
        });
        context.start();
        return next(Duration.ofSeconds(30));
    }

    public void clear() {
        exceptions.clear();
    }

    /** The full text (stack traces with causes) of every exception handed over so far. */
    public String allText() {
        StringBuilder sb = new StringBuilder();
        for (Throwable t : exceptions.toArray(new Throwable[0])) {
            sb.append(fullText(t)).append('\n');
        }
        return sb.toString();
    }

    public synchronized String messagesText() {
        return String.join("\n", messages);
    }

    /** The messages of {@code t} and all its causes, and the full stack trace text. */
    public static String fullText(Throwable t) {
        StringWriter out = new StringWriter();
        t.printStackTrace(new PrintWriter(out));
        return out.toString();
    }

    /** The innermost cause, usually the component's own exception under Camel's wrappers. */
    public static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
