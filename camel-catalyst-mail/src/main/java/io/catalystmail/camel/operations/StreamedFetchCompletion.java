package io.catalystmail.camel.operations;

import org.apache.camel.Exchange;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * Closes a streamed fetch when its exchange is done, so a route that never reads the body (no split, or a split
 * that failed before it began) still gives the connection back to the pool.
 */
final class StreamedFetchCompletion extends SynchronizationAdapter {

    private final StreamedFetch fetch;

    StreamedFetchCompletion(StreamedFetch fetch) {
        this.fetch = fetch;
    }

    @Override
    public void onDone(Exchange exchange) {
        fetch.close();
    }
}
