package io.catalystmail.camel.mime;

import org.apache.james.mime4j.dom.field.ContentTypeField;

/**
 * A Content-Type field both ways: parsed, for the composer's decisions (text or not, charset, multipart), and as the
 * line that is written.
 */
record ContentType(ContentTypeField parsed, HeaderLine line) {

    static ContentType of(ContentTypeField field) {
        return new ContentType(field, HeaderLine.of(field));
    }
}
