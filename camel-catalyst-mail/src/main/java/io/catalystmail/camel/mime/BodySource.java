package io.catalystmail.camel.mime;

import java.io.IOException;
import java.io.InputStream;

/** Where a part's unencoded bytes come from; opened only when the part is written to the server. */
@FunctionalInterface
interface BodySource {

    InputStream open() throws IOException;
}
