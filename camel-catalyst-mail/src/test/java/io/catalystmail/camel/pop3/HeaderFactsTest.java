package io.catalystmail.camel.pop3;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The POP3 client-side filter reads the header from TOP and must see the values the exchange carries: one decoding
 * for IMAP and POP3. Checked on the differential corpus (every header field its expected.txt names, which
 * DifferentialCorpusTest checks on the mapped exchange) and on the shapes where Mime4j's decoder, used here before,
 * read differently.
 */
class HeaderFactsTest {

    private static final String CORPUS = "/messages/differential/";

    static Stream<String> corpus() throws IOException {
        return expectations().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void theFilterSeesTheHeaderValuesTheRouteGets(String name) throws IOException {
        HeaderFacts facts;
        try (InputStream in = HeaderFactsTest.class.getResourceAsStream(CORPUS + name + ".eml")) {
            facts = HeaderFacts.read(in, 0);
        }
        Map<String, String> fields = expectations().get(name);
        for (Map.Entry<String, String> field : fields.entrySet()) {
            List<String> values = facts.headerValues(field.getKey());
            String actual = values.isEmpty() ? "null" : values.size() == 1 ? values.get(0) : values.toString();
            assertEquals(field.getValue(), actual, name + ": " + field.getKey());
        }
    }

    @Test
    void anEncodedSpecialInADisplayNameStaysInOneMailbox() throws IOException {
        // before: Mime4j's decoder gave Müller, Jörg <m@example.test>, two mailboxes for any parser
        HeaderFacts facts = read("From: =?UTF-8?Q?M=C3=BCller=2C_J=C3=B6rg?= <m@example.test>\r\n"
                + "Disposition-Notification-To: =?UTF-8?Q?a=22b?= <ab@example.test>\r\n\r\n");
        assertEquals(List.of("\"Müller, Jörg\" <m@example.test>"), facts.headerValues("from"));
        assertEquals(List.of("\"a\\\"b\" <ab@example.test>"), facts.headerValues("Disposition-Notification-To"));
    }

    @Test
    void aDecodedLineBreakAndWordsAcrossAnEmptyOneReadAsOnTheExchange() throws IOException {
        // RFC 2047 section 6.2: adjacent words are one text. Before: the decoded CR LF stayed in the value, which a
        // route copying it into a header line would have split
        HeaderFacts facts = read("Subject: =?UTF-8?B?ww==?= =?UTF-8?B?pGJj?=\r\n"
                + "Comments: =?UTF-8?Q?one=0D=0ABcc:_x@example.test?=\r\n"
                + "Keywords: =?UTF-8?Q?a?=\r\n =?UTF-8?Q??= =?UTF-8?Q?b?=\r\n\r\n");
        assertEquals(List.of("äbc"), facts.headerValues("subject"));
        assertEquals(List.of("one  Bcc: x@example.test"), facts.headerValues("comments"),
                "an encoded line break cannot start a line of its own");
        assertEquals(List.of("ab"), facts.headerValues("keywords"), "an empty word between two: as Python reads it");
        assertTrue(facts.headerLines().contains("Subject: äbc"));
    }

    /**
     * The header ends where the exchange's ends: a header without its empty line ends before the first line that
     * cannot be a field, so a body line with a colon after it is no field; an mbox "From " line and a name with a
     * space in it are no fields either. Before: the filter's own splitting took the body's "X-Note" and the mbox
     * line (its time has colons) for header fields the exchange does not carry.
     */
    @Test
    void theHeaderEndsWhereTheExchangesEnds() throws IOException {
        HeaderFacts facts = read("From sender@example.test Tue Dec  1 21:00:00 2026\r\n"
                + "Subject: no empty line\r\n"
                + "this line starts the body\r\n"
                + "X-Note: a body line\r\n");
        assertEquals(List.of("no empty line"), facts.headerValues("subject"));
        assertEquals(List.of(), facts.headerValues("x-note"));
        assertEquals(List.of("Subject: no empty line"), facts.headerLines());
    }

    private static HeaderFacts read(String header) throws IOException {
        return HeaderFacts.read(new ByteArrayInputStream(header.getBytes(StandardCharsets.UTF_8)), 0);
    }

    /** The header fields expected.txt names per message (lines "Name: value" whose name starts upper case). */
    private static Map<String, Map<String, String>> expectations() throws IOException {
        String text;
        try (InputStream in = HeaderFactsTest.class.getResourceAsStream(CORPUS + "expected.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Map<String, String>> byName = new LinkedHashMap<>();
        Map<String, String> current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("== ")) {
                current = new LinkedHashMap<>();
                byName.put(line.substring(3).trim(), current);
            } else if (!line.isEmpty() && Character.isUpperCase(line.charAt(0)) && line.indexOf(": ") > 0) {
                current.put(line.substring(0, line.indexOf(": ")), line.substring(line.indexOf(": ") + 2));
            }
        }
        return byName;
    }
}
