package io.catalystmail.camel.imap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ImapResponseReaderTest {

    private static ImapResponseReader reader(String wire) {
        return new ImapResponseReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsTheSelectExampleOfRfc3501() throws IOException {
        ImapResponseReader r = reader("* 172 EXISTS\r\n"
                + "* 1 RECENT\r\n"
                + "* OK [UNSEEN 12] Message 12 is first unseen\r\n"
                + "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
                + "* OK [UIDNEXT 4392] Predicted next UID\r\n"
                + "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
                + "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n"
                + "A142 OK [READ-WRITE] SELECT completed\r\n");
        ImapResponse exists = r.read();
        assertTrue(exists.isUntagged("EXISTS"));
        assertEquals(172, exists.number());
        assertEquals(1, r.read().number());
        assertEquals("UNSEEN", r.read().code().name());
        ImapResponse validity = r.read();
        assertEquals("UIDVALIDITY", validity.code().name());
        assertEquals(3857529045L, validity.code().number(0));
        assertEquals("UIDs valid", validity.text());
        assertEquals(4392, r.read().code().number(0));
        ImapResponse flags = r.read();
        assertEquals("FLAGS", flags.type());
        assertEquals(List.of("\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"), flags.values().get(0));
        ImapResponse permanent = r.read();
        assertEquals(List.of("\\Deleted", "\\Seen", "\\*"), permanent.code().args().get(0));
        ImapResponse done = r.read();
        assertEquals(ImapResponse.Kind.TAGGED, done.kind());
        assertEquals("A142", done.tag());
        assertTrue(done.isOk());
        assertEquals("READ-WRITE", done.code().name());
        assertEquals("SELECT completed", done.text());
    }

    @Test
    void readsCodesWithSetsAndCapabilities() throws IOException {
        ImapResponseReader r = reader("A003 OK [APPENDUID 38505 3955] APPEND completed\r\n"
                + "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n"
                + "* OK [CAPABILITY IMAP4rev1 LITERAL+ SASL-IR AUTH=PLAIN] ready\r\n"
                + "* CAPABILITY IMAP4rev1 STARTTLS AUTH=GSSAPI LOGINDISABLED\r\n"
                + "* BYE Autologout; idle for too long\r\n"
                + "+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n"
                + "+\r\n"
                + "A005 NO [READ-ONLY] no\r\n");
        ImapResponse append = r.read();
        assertEquals(38505, append.code().number(0));
        assertEquals(3955, append.code().number(1));
        assertEquals(List.of("38505", "304,319:320", "3956:3958"), r.read().code().args());
        assertEquals(List.of("IMAP4rev1", "LITERAL+", "SASL-IR", "AUTH=PLAIN"), r.read().code().args());
        ImapResponse caps = r.read();
        assertEquals("CAPABILITY", caps.type());
        assertEquals(List.of("IMAP4rev1", "STARTTLS", "AUTH=GSSAPI", "LOGINDISABLED"), caps.values());
        ImapResponse bye = r.read();
        assertEquals("BYE", bye.type());
        assertEquals("Autologout; idle for too long", bye.text());
        ImapResponse cont = r.read();
        assertEquals(ImapResponse.Kind.CONTINUATION, cont.kind());
        assertTrue(cont.text().startsWith("YGgGCSqG"));
        assertEquals("", r.read().text());
        ImapResponse no = r.read();
        assertEquals("NO", no.type());
        assertEquals("READ-ONLY", no.code().name());
    }

    @Test
    void readsFetchItemsOneByOneWithSeveralLiterals() throws IOException {
        String header = "From: a@example.org\r\nSubject: two literals\r\n\r\n";
        String body = header + "Hello \"world\" ) UID 99\r\n";
        ImapResponseReader r = reader("* 12 FETCH (FLAGS (\\Seen $Forwarded) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" "
                + "RFC822.SIZE " + body.length() + " UID 4827313 BODY[HEADER] {" + header.length() + "}\r\n" + header
                + " BODY[] {" + body.length() + "}\r\n" + body + " ENVELOPE (\"date\" \"subj\" ((NIL NIL \"a\" \"example.org\")) "
                + "NIL NIL NIL NIL NIL NIL \"<id@x>\"))\r\n"
                + "A1 OK done\r\n");
        ImapResponse fetch = r.read();
        FetchData data = fetch.fetch();
        assertEquals(12, data.sequence());
        assertEquals(4827313, data.uid());
        assertEquals(Set.of("\\Seen", "$Forwarded"), data.flags());
        assertEquals(Instant.parse("1996-07-17T09:44:25Z"), data.internalDate());
        assertEquals(body.length(), data.size());
        assertArrayEquals(header.getBytes(StandardCharsets.US_ASCII), (byte[]) data.otherItems().get("BODY[HEADER]"));
        assertArrayEquals(body.getBytes(StandardCharsets.US_ASCII), (byte[]) data.otherItems().get("BODY[]"));
        assertTrue(data.otherItems().get("ENVELOPE") instanceof List);
        assertTrue(r.read().isOk());
    }

    @Test
    void itemNamesAreMatchedWhateverTheirCaseAndNamesCloseToTheUsualOnesStayApart() throws IOException {
        // the usual names are recognised without making strings (tokenAsKnown): in any case, but not by prefix
        ImapResponseReader r = reader("* 1 FETCH (uid 7 Flags (\\Seen) rfc822.size 3 internaldate"
                + " \"17-Jul-1996 02:44:25 -0700\" body[] {3}\r\nabc UIDX 1 BODY[TEXT] {2}\r\nxy)\r\n");
        List<String> seen = new ArrayList<>();
        FetchData data = r.read((soFar, item, origin, length, content) -> seen.add(item + " uid=" + soFar.uid()
                + " " + new String(content.readAllBytes(), StandardCharsets.US_ASCII))).fetch();
        assertEquals(List.of("BODY[] uid=7 abc", "BODY[TEXT] uid=7 xy"), seen);
        assertEquals(7, data.uid());
        assertEquals(3, data.size());
        assertEquals(Set.of("\\Seen"), data.flags());
        assertEquals(Instant.parse("1996-07-17T09:44:25Z"), data.internalDate());
        assertEquals("1", data.otherItems().get("UIDX"));
        // the streamed sections went to the consumer and are not kept: nothing is made per message for them
        assertEquals(Set.of("UIDX"), data.otherItems().keySet());
    }

    @Test
    void flagsKeepTheServersSpellingAndOrderAndNoFlagIsAnEmptySet() throws IOException {
        ImapResponseReader r = reader("* 1 FETCH (UID 1 FLAGS ())\r\n"
                + "* 2 FETCH (UID 2 FLAGS (\\Recent))\r\n"
                + "* 3 FETCH (UID 3 FLAGS ($Label1 \\Seen $label1 \\Seen \\SEEN))\r\n");
        assertEquals(Set.of(), r.read().fetch().flags());
        assertEquals(Set.of("\\Recent"), r.read().fetch().flags());
        assertEquals(List.of("$Label1", "\\Seen", "$label1", "\\SEEN"), List.copyOf(r.read().fetch().flags()));
    }

    @Test
    void flagsThatAreNotAtomsAndNumbersThatAreNotNumbersAreNamed() {
        assertEquals("a flag must be an atom, got NIL", failure("* 1 FETCH (FLAGS (\\Seen nil))\r\n"));
        assertEquals("a flag must be an atom, got 'x y'", failure("* 1 FETCH (FLAGS (\"x y\"))\r\n"));
        assertEquals("a flag must be an atom, got a list", failure("* 1 FETCH (FLAGS ((\\Seen)))\r\n"));
        assertEquals("expected a parenthesised list, got NIL", failure("* 1 FETCH (FLAGS NIL)\r\n"));
        assertEquals("line ended inside a parenthesised list", failure("* 1 FETCH (FLAGS (\\Seen\r\n"));
        assertEquals("expected a number, got '12a'", failure("* 1 FETCH (UID 12a)\r\n"));
        assertEquals("expected a number, got '1234567890123456789'", failure("* 1 FETCH (RFC822.SIZE 1234567890123456789)\r\n"));
        assertEquals("expected a number, got ''", failure("* 1 FETCH (UID (1))\r\n"));
    }

    private static String failure(String wire) {
        return assertThrows(ImapProtocolException.class, () -> reader(wire).read()).getMessage();
    }

    @Test
    void internalDatesOfEveryFormTheServerMaySend() throws IOException {
        ImapResponseReader r = reader("* 1 FETCH (INTERNALDATE \" 7-Jul-1996 02:44:25 -0700\")\r\n"
                + "* 2 FETCH (INTERNALDATE {26}\r\n17-Jul-1996 02:44:25 -0700)\r\n"
                + "* 3 FETCH (INTERNALDATE \"17-jul-1996 02:44:25 -0700 \")\r\n"
                + "* 4 FETCH (INTERNALDATE NIL)\r\n");
        assertEquals(Instant.parse("1996-07-07T09:44:25Z"), r.read().fetch().internalDate());
        assertEquals(Instant.parse("1996-07-17T09:44:25Z"), r.read().fetch().internalDate());
        assertEquals(Instant.parse("1996-07-17T09:44:25Z"), r.read().fetch().internalDate());
        assertNull(r.read().fetch().internalDate());
    }

    @Test
    void responseNamesInAnyCaseAndTheWholeBodyWithAnOriginKeepTheirNames() throws IOException {
        ImapResponseReader r = reader("* 4 expunge\r\n* 5 Fetch (Uid 9 BODY[]<0> {2}\r\nab BODY {3}\r\nxyz)\r\n"
                + "a1 ok done\r\n");
        assertEquals("EXPUNGE", r.read().type());
        List<String> seen = new ArrayList<>();
        ImapResponse fetch = r.read((soFar, item, origin, length, content) -> seen.add(item + "<" + origin + ">"));
        assertEquals("FETCH", fetch.type());
        assertEquals(9, fetch.fetch().uid());
        assertEquals(List.of("BODY[]<0>"), seen);
        assertArrayEquals("xyz".getBytes(StandardCharsets.US_ASCII), (byte[]) fetch.fetch().otherItems().get("BODY"));
        ImapResponse ok = r.read();
        assertEquals("OK", ok.type());
        assertEquals("a1", ok.tag());
    }

    @Test
    void streamsBodyLiteralsAndSkipsWhatTheConsumerLeavesUnread() throws IOException {
        String body = "Subject: x\r\n\r\n" + "y".repeat(200_000) + "\r\n";
        ImapResponseReader r = reader("* 1 FETCH (UID 7 BODY[HEADER.FIELDS (FROM \"X-Odd\")] {3}\r\nabc BODY[] {"
                + body.length() + "}\r\n" + body + " FLAGS ())\r\n"
                + "* 2 FETCH (UID 8 BINARY[1]<0> ~{4}\r\n\0\1\2\3)\r\n"
                + "* 3 EXPUNGE\r\n");
        List<String> seen = new ArrayList<>();
        ImapResponse first = r.read((soFar, item, origin, length, content) -> {
            seen.add(item + " uid=" + soFar.uid() + " len=" + length + " origin=" + origin);
            if (item.equals("BODY[]")) {
                byte[] start = content.readNBytes(10);
                assertEquals("Subject: x", new String(start, StandardCharsets.US_ASCII));
            }
        });
        assertEquals(List.of("BODY[HEADER.FIELDS (FROM \"X-ODD\")] uid=7 len=3 origin=-1",
                "BODY[] uid=7 len=" + body.length() + " origin=-1"), seen);
        assertEquals(Set.of(), first.fetch().flags());
        InputStream[] kept = new InputStream[1];
        ImapResponse second = r.read((soFar, item, origin, length, content) -> {
            assertEquals(0, origin);
            assertArrayEquals(new byte[] {0, 1, 2, 3}, content.readAllBytes());
            assertEquals(-1, content.read());
            kept[0] = content;
        });
        assertEquals(8, second.fetch().uid());
        assertThrows(IOException.class, () -> kept[0].read());
        assertEquals(3, r.read().number());
    }

    @Test
    void searchAnswersBecomeRangesNotObjectsAndSkipWhatIsNotAUid() throws IOException {
        // 200,000 consecutive numbers: one range; 0, a word and a number past 2^32-1 are counted and skipped
        StringBuilder line = new StringBuilder("* SEARCH 0 7 x 99999999999");
        for (int uid = 1; uid <= 200_000; uid++) {
            line.append(' ').append(uid);
        }
        ImapResponseReader r = reader(line + " (MODSEQ 5)\r\n");
        UidRanges uids = (UidRanges) r.read().values().get(0);
        assertEquals(200_000, uids.size());
        assertEquals(3, uids.invalid());
        assertEquals(List.of(200_000L, 199_999L), uids.first(2, true));
    }

    @Test
    void aLineOfOneOctetWordsIsChargedForTheObjectsItWouldMake() {
        // 400,000 one-octet atoms are 800 KB on the wire but ~20 MB of Strings: over the 8 MiB response bound
        String words = "a ".repeat(400_000);
        ImapResponseReader r = reader("* FLAGS (" + words + ")\r\n");
        ImapProtocolException e = assertThrows(ImapProtocolException.class, r::read);
        assertTrue(e.getMessage().contains("octets in memory"), e.getMessage());
    }

    @Test
    void readsSearchAndEsearch() throws IOException {
        ImapResponseReader r = reader("* SEARCH 2 84 882\r\n* SEARCH\r\n* ESEARCH (TAG \"x\") UID ALL 1:3,5\r\n");
        assertEquals(List.of(2L, 84L, 882L), ((UidRanges) r.read().values().get(0)).first(10, false));
        assertEquals(0, ((UidRanges) r.read().values().get(0)).size());
        ImapResponse esearch = r.read();
        assertEquals("ESEARCH", esearch.type());
        assertEquals(List.of(List.of("TAG", "x"), "UID", "ALL", "1:3,5"), esearch.values());
    }

    @Test
    void quotedStringsUnescapeAndNilIsNull() throws IOException {
        ImapResponseReader r = reader("* LIST (\\HasNoChildren) \"/\" \"a \\\"b\\\" \\\\c\"\r\n* LIST () NIL {5}\r\nINBOX\r\n");
        assertEquals(List.of(List.of("\\HasNoChildren"), "/", "a \"b\" \\c"), r.read().values());
        List<Object> second = r.read().values();
        assertNull(second.get(1));
        assertArrayEquals("INBOX".getBytes(StandardCharsets.US_ASCII), (byte[]) second.get(2));
    }

    @Test
    void limitsStopHostileResponses() {
        ImapLimits small = new ImapLimits(64, 16, 1024, 4, 100);
        assertThrows(ImapProtocolException.class, () -> new ImapResponseReader(
                new ByteArrayInputStream(("* " + "A".repeat(100) + "\r\n").getBytes()), small).read());
        assertThrows(ImapProtocolException.class, () -> new ImapResponseReader(
                new ByteArrayInputStream("* X {17}\r\n12345678901234567\r\n".getBytes()), small).read());
        assertThrows(ImapProtocolException.class, () -> new ImapResponseReader(
                new ByteArrayInputStream("* X (((((a)))))\r\n".getBytes()), small).read());
        assertThrows(ImapProtocolException.class, () -> new ImapResponseReader(
                new ByteArrayInputStream("* X {99999999999999999999}\r\n".getBytes()), small).read());
        assertThrows(ImapProtocolException.class, () -> new ImapResponseReader(
                new ByteArrayInputStream(("* X" + " {10}\r\n0123456789".repeat(200) + "\r\n").getBytes()), small).read());
        assertThrows(ImapProtocolException.class, () -> reader("* 1 FETCH (UID 1 INTERNALDATE \"yesterday\")\r\n").read());
        assertThrows(EOFException.class, () -> reader("* 1 FETCH (BODY[] {10}\r\nabc").read((d, i, o, l, c) -> { }));
        assertThrows(EOFException.class, () -> reader("").read());
    }
}
