package io.catalystmail.camel.mailbox;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;

import io.catalystmail.camel.mailbox.SearchKey.AbsoluteDay;
import io.catalystmail.camel.mailbox.SearchKey.And;
import io.catalystmail.camel.mailbox.SearchKey.DateComparison;
import io.catalystmail.camel.mailbox.SearchKey.DateField;
import io.catalystmail.camel.mailbox.SearchKey.DateKey;
import io.catalystmail.camel.mailbox.SearchKey.FlagKey;
import io.catalystmail.camel.mailbox.SearchKey.HeaderContains;
import io.catalystmail.camel.mailbox.SearchKey.Not;
import io.catalystmail.camel.mailbox.SearchKey.Or;
import io.catalystmail.camel.mailbox.SearchKey.RelativeToNow;
import io.catalystmail.camel.mailbox.SearchKey.SizeKey;
import io.catalystmail.camel.mailbox.SearchKey.TextContains;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SearchFilterParseTest {

    private static SearchKey key(String text) {
        return SearchFilter.parse(text).key();
    }

    private static SearchSyntaxException error(String text) {
        return assertThrows(SearchSyntaxException.class, () -> SearchFilter.parse(text));
    }

    @Test
    void blankAndAllAreAll() {
        assertEquals(new SearchKey.All(), key(null));
        assertEquals(new SearchKey.All(), key(""));
        assertEquals(new SearchKey.All(), key("   "));
        assertEquals(new SearchKey.All(), key("all"));
        assertTrue(SearchFilter.parse(" ").isAll());
    }

    @Test
    void headerKeys() {
        assertEquals(new HeaderContains("From", "boss"), key("FROM boss"));
        assertEquals(new HeaderContains("To", "me@example.org"), key("to me@example.org"));
        assertEquals(new HeaderContains("Cc", "x"), key("Cc x"));
        assertEquals(new HeaderContains("Bcc", "y"), key("BCC \"y\""));
        assertEquals(new HeaderContains("Subject", "quarterly report"), key("SUBJECT \"quarterly report\""));
        assertEquals(new HeaderContains("X-Mailer", "mutt"), key("HEADER X-Mailer mutt"));
        assertEquals(new HeaderContains("List-Id", ""), key("header \"List-Id\" \"\""));
        assertEquals(new TextContains(false, "invoice"), key("BODY invoice"));
        assertEquals(new TextContains(true, "invoice"), key("text invoice"));
    }

    @Test
    void quotedStringsUnescape() {
        assertEquals(new HeaderContains("Subject", "say \"hi\" \\ bye"), key("SUBJECT \"say \\\"hi\\\" \\\\ bye\""));
        assertEquals(new HeaderContains("Subject", "Grüße (ä)"), key("SUBJECT \"Grüße (ä)\""));
    }

    @Test
    void dates() {
        AbsoluteDay nov1 = new AbsoluteDay(LocalDate.of(2026, 11, 1));
        assertEquals(new DateKey(DateField.INTERNAL, DateComparison.BEFORE, nov1), key("BEFORE 1-Nov-2026"));
        assertEquals(new DateKey(DateField.INTERNAL, DateComparison.ON, nov1), key("ON 01-nov-2026"));
        assertEquals(new DateKey(DateField.INTERNAL, DateComparison.SINCE, nov1), key("SINCE \"1-NOV-2026\""));
        assertEquals(new DateKey(DateField.SENT, DateComparison.BEFORE, nov1), key("SENTBEFORE 1-Nov-2026"));
        assertEquals(new DateKey(DateField.SENT, DateComparison.ON, nov1), key("senton 1-Nov-2026"));
        assertEquals(new DateKey(DateField.SENT, DateComparison.SINCE, nov1), key("SentSince 1-Nov-2026"));
    }

    @ParameterizedTest
    @CsvSource({ "now,0", "NOW,0", "now-30m,30", "now-24h,1440", "now-7d,10080", "now-2w,20160", "Now-1H,60" })
    void relativeDates(String text, long minutesBack) {
        assertEquals(new DateKey(DateField.INTERNAL, DateComparison.SINCE,
                new RelativeToNow(Duration.ofMinutes(-minutesBack))), key("SINCE " + text));
    }

    @Test
    void sizes() {
        assertEquals(new SizeKey(true, 1024), key("LARGER 1024"));
        assertEquals(new SizeKey(false, 0), key("smaller 0"));
    }

    @Test
    void flags() {
        assertEquals(new FlagKey("\\Seen", true), key("SEEN"));
        assertEquals(new FlagKey("\\Seen", false), key("unseen"));
        assertEquals(new FlagKey("\\Answered", true), key("ANSWERED"));
        assertEquals(new FlagKey("\\Answered", false), key("UNANSWERED"));
        assertEquals(new FlagKey("\\Flagged", true), key("FLAGGED"));
        assertEquals(new FlagKey("\\Flagged", false), key("UNFLAGGED"));
        assertEquals(new FlagKey("\\Deleted", true), key("DELETED"));
        assertEquals(new FlagKey("\\Deleted", false), key("UNDELETED"));
        assertEquals(new FlagKey("\\Draft", true), key("DRAFT"));
        assertEquals(new FlagKey("\\Draft", false), key("UNDRAFT"));
        assertEquals(new FlagKey("\\Recent", true), key("RECENT"));
        assertEquals(new FlagKey("\\Recent", false), key("OLD"));
        assertEquals(new And(List.of(new FlagKey("\\Recent", true), new FlagKey("\\Seen", false))), key("NEW"));
        assertEquals(new FlagKey("$Junk", true), key("KEYWORD $Junk"));
        assertEquals(new FlagKey("processed", false), key("UNKEYWORD processed"));
    }

    @Test
    void juxtapositionOrNotAndGroups() {
        HeaderContains from = new HeaderContains("From", "a");
        HeaderContains subject = new HeaderContains("Subject", "b");
        FlagKey seen = new FlagKey("\\Seen", true);
        assertEquals(new And(List.of(from, subject)), key("FROM a SUBJECT b"));
        assertEquals(new Or(from, subject), key("OR FROM a SUBJECT b"));
        assertEquals(new Not(from), key("NOT FROM a"));
        assertEquals(new Or(new And(List.of(from, subject)), new Not(seen)), key("OR (FROM a SUBJECT b) NOT SEEN"));
        assertEquals(new And(List.of(from, subject, seen)), key("(FROM a (SUBJECT b)) SEEN"));
        assertEquals(new Not(new Or(from, new Or(subject, seen))), key("NOT OR FROM a OR SUBJECT b SEEN"));
        assertEquals(from, key("ALL FROM a"));
        assertEquals(from, key("((FROM a))"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "FROM \"a b\" NOT SUBJECT \"[spam]\" SINCE 1-Nov-2026",
            "OR (FROM a SUBJECT b) (NOT SEEN LARGER 10)", "HEADER \"X-Priority\" \"1\" SENTBEFORE now-2w",
            "OR SINCE now-24h ON now-30m", "NOT OR TEXT \"q\\\"uote\" BODY \"back\\\\slash\"",
            "KEYWORD $Junk UNKEYWORD x OLD NEW DRAFT UNDRAFT SMALLER 5", "SENTON now" })
    void describeParsesBackToTheSameKey(String text) {
        SearchFilter filter = SearchFilter.parse(text);
        assertEquals(filter, SearchFilter.parse(filter.describe()), filter.describe());
        assertEquals(filter.describe(), filter.toString());
    }

    @Test
    void describeIsReadable() {
        assertEquals("OR FROM \"a\" (SUBJECT \"b\" NOT SEEN) SINCE now-1d",
                SearchFilter.parse("or from a (subject b not seen) since now-24h").describe());
        assertEquals("SENTBEFORE 1-Nov-2026", SearchFilter.parse("sentbefore 01-NOV-2026").describe());
    }

    @Test
    void errorsNameOptionPositionAndExpectation() {
        SearchSyntaxException e = error("FROM a SINCE yesterday");
        assertEquals(14, e.position());
        assertTrue(e.getMessage().startsWith("search: expected a date after SINCE"), e.getMessage());
        assertTrue(e.getMessage().endsWith("at position 14, found \"yesterday\""), e.getMessage());
        assertTrue(e instanceof IllegalArgumentException);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "FROM|expected a string after FROM at position 5, found end of input",
            "FROM (a)|expected a string after FROM at position 6, found \"(\"",
            "SUBJECT \"open|expected a closing quote for the string opened at position 9 at position 14, found end of input",
            "SUBJECT \"a\\x\"|expected \\\" or \\\\ after a backslash in a quoted string at position 12, found \"x\"",
            "SINCE 31-Feb-2026|expected a date after SINCE (like 1-Nov-2026 or now-24h) at position 7, found \"31-Feb-2026\"",
            "BEFORE 1-Foo-2026|expected a date after BEFORE (like 1-Nov-2026 or now-24h) at position 8, found \"1-Foo-2026\"",
            "SINCE now-5y|expected a date after SINCE (like 1-Nov-2026 or now-24h) at position 7, found \"now-5y\"",
            "LARGER ten|expected a number of octets after LARGER at position 8, found \"ten\"",
            "SMALLER -1|expected a number of octets after SMALLER at position 9, found \"-1\"",
            "LARGER 99999999999999999999|expected a number of octets after LARGER at position 8, found \"99999999999999999999\"",
            "OR FROM a|expected a search key after OR at position 10, found end of input",
            "NOT|expected a search key after NOT at position 4, found end of input",
            "(FROM a|expected \")\" to close the group opened at position 1 at position 8, found end of input",
            "()|expected a search key at position 2, found \")\"",
            "FROM a )|expected a search key at position 8, found \")\"",
            "UID 1:5|expected a search key such as FROM, SUBJECT, SINCE, SEEN, OR, NOT at position 1, found \"UID\"",
            "\"FROM\" a|expected a search key at position 1, found \"FROM\"",
            "HEADER \"Bad:Name\" x|expected a header field name after HEADER at position 8, found \"Bad:Name\"",
            "HEADER X-A|expected a string after HEADER X-A at position 11, found end of input",
            "KEYWORD \\Seen|expected a keyword (an atom without \\) after KEYWORD at position 9, found \"\\Seen\"",
            "KEYWORD \"x\"|expected a keyword (an atom without \\) after KEYWORD at position 9, found \"x\"",
            "SUBJECT {5}|expected a string or atom (IMAP literals {n} are not supported) at position 9, found \"{\"" })
    void syntaxErrors(String text, String message) {
        assertEquals("search: " + message, error(text).getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = { "SUBJECT \"a\r\nb\"", "SUBJECT a\nb", "FROM \"x\0\"" })
    void lineBreaksAndNulAreRefused(String text) {
        SearchSyntaxException e = error(text);
        assertTrue(e.getMessage().contains("expected no line breaks or NUL characters at position"), e.getMessage());
    }

    @Test
    void fromOptionsAndsWhatIsSet() {
        SearchFilter f = SearchFilter.fromOptions("NOT SEEN", "boss", null, " ", "invoice", "now-7d", "1-Dec-2026");
        assertEquals(new And(List.of(new Not(new FlagKey("\\Seen", true)), new HeaderContains("From", "boss"),
                new TextContains(false, "invoice"),
                new DateKey(DateField.INTERNAL, DateComparison.SINCE, new RelativeToNow(Duration.ofDays(-7))),
                new DateKey(DateField.INTERNAL, DateComparison.BEFORE, new AbsoluteDay(LocalDate.of(2026, 12, 1))))),
                f.key());
        assertEquals(new HeaderContains("To", "x"), SearchFilter.fromOptions(null, null, "x", null, null, null, null).key());
        assertEquals(new HeaderContains("Subject", "(weird\" text"),
                SearchFilter.fromOptions("", null, null, "(weird\" text", null, null, null).key());
        assertTrue(SearchFilter.fromOptions(null, null, null, null, null, null, null).isAll());
    }

    @Test
    void fromOptionsErrorsNameTheOption() {
        assertEquals("since: expected a date (like 1-Nov-2026 or now-24h) at position 1, found \"yesterday\"",
                assertThrows(SearchSyntaxException.class,
                        () -> SearchFilter.fromOptions(null, null, null, null, null, "yesterday", null)).getMessage());
        assertEquals("before: expected end of input at position 12, found \"x\"",
                assertThrows(SearchSyntaxException.class,
                        () -> SearchFilter.fromOptions(null, null, null, null, null, null, "1-Nov-2026 x")).getMessage());
        assertTrue(assertThrows(SearchSyntaxException.class,
                () -> SearchFilter.fromOptions(null, "a\r\nBcc: x", null, null, null, null, null)).getMessage()
                .startsWith("searchFrom: expected no line breaks"));
    }

    @Test
    void needsBodyAndUsesFlags() {
        assertTrue(SearchFilter.parse("OR FROM a NOT BODY x").needsBody());
        assertTrue(SearchFilter.parse("(TEXT x)").needsBody());
        assertFalse(SearchFilter.parse("FROM a SUBJECT b").needsBody());
        assertTrue(SearchFilter.parse("FROM a NOT OR LARGER 5 KEYWORD k").usesFlags());
        assertTrue(SearchFilter.parse("NEW").usesFlags());
        assertFalse(SearchFilter.parse("FROM a SINCE now").usesFlags());
    }
}
