package io.catalystmail.camel.mime;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class MimeParametersTest {

    private static String filename(String disposition) {
        return MimeParameters.parse(disposition).get("filename");
    }

    @Test
    void plainQuotedAndUnquotedValues() {
        MimeParameters type = MimeParameters.parse("Text/Plain; Charset=\"UTF-8\"; format=flowed");
        assertEquals("text/plain", type.value());
        assertEquals("UTF-8", type.get("charset"));
        assertEquals("flowed", type.get("format"));
        assertEquals("my file.pdf", filename("attachment; filename=my file.pdf"));
        assertEquals("say \"hi\".txt", filename("attachment; filename=\"say \\\"hi\\\".txt\""));
        assertEquals("a;b.txt", filename("attachment; filename=\"a;b.txt\"; size=3"));
        assertEquals("plain.txt", filename("attachment; x=\"a\\\\b\"; filename=\"plain.txt\"; y=\"c\\\"d\""),
                "escapes in the parameters around a quoted value leave it as it is");
        assertEquals("a\\b", filename("attachment; filename=\"a\\\\b\""));
    }

    @Test
    void rfc2231ExtendedValuesAndContinuations() {
        assertEquals("€.txt", filename("attachment; filename*=UTF-8''%e2%82%ac.txt"));
        assertEquals("déjà vu.txt", filename("attachment; filename*=iso-8859-1'fr'd%E9j%E0%20vu.txt"));
        assertEquals("Länger Name.txt", filename("attachment; filename*0*=UTF-8''L%C3%A4nger; filename*1*=%20Name; filename*2=.txt"));
        assertEquals("abc", filename("attachment; filename*1=b; filename*0=a; filename*2=c"), "sections in numeric order");
        assertEquals("€.txt", filename("attachment; filename=\"fallback.txt\"; filename*=UTF-8''%e2%82%ac.txt"),
                "extended value wins over the plain one");
    }

    @Test
    void severalNamesFromOneScanGiveTheFirstOfEach() {
        MimeParameters type = MimeParameters.parse(
                "multipart/mixed; Charset=\"a\"; boundary=\"=?x?=\"; charset=b; BOUNDARY=second");
        String[] values = type.values("boundary", "charset", "format");
        assertEquals("=?x?=", values[0], "the first boundary, an encoded-word that does not decode kept as is");
        assertEquals("a", values[1], "the first charset, whatever the case of its name");
        assertNull(values[2]);
        assertEquals(values[0], type.get("boundary"));
        assertEquals(values[1], type.get("charset"));
        String[] extended = MimeParameters.parse("text/plain; charset*=us-ascii'en'utf-8; format=flowed")
                .values("charset", "format", "name");
        assertEquals("utf-8", extended[0], "RFC 2231 values are found by the same call");
        assertEquals("flowed", extended[1]);
        assertNull(extended[2]);
    }

    @Test
    void rfc2047InsideAParameterIsDecodedToo() {
        assertEquals("Grüße.pdf", MimeParameters.parse("application/pdf; name=\"=?UTF-8?Q?Gr=C3=BC=C3=9Fe.pdf?=\"").get("name"));
    }

    @Test
    void bogusInputGivesBestEffortNeverAnException() {
        assertEquals("%zz%", filename("attachment; filename*=%zz%"));
        assertEquals("AB", filename("attachment; filename*0*=%41; filename*2*=%42"), "gap bridged");
        assertEquals("été", filename("attachment; filename*=x-unknown'en'%C3%A9t%C3%A9"), "unknown charset: UTF-8 when valid");
        assertEquals("", filename("attachment; filename*="));
        assertEquals("x", filename("attachment; filename*99999999999*=y; filename=x"), "absurd section numbers are ignored");
        assertEquals("unterminated", filename("attachment; filename=\"unterminated"));
        assertNull(filename("attachment; ;;; =novalue; filename"));
        for (String bogus : new String[] {"", ";", "=", "\"", "a; b*=''", "a; b*0*='", "a; *=x", "a; b**=%", "a; b*-1=x"}) {
            assertDoesNotThrow(() -> MimeParameters.parse(bogus).get("b"), bogus);
        }
        assertEquals("", MimeParameters.parse(null).value());
    }

    @Test
    void commentsAreNoPartOfTheTypeOrAParameter() {
        // RFC 2045 section 5.1 with RFC 5322 section 3.2.2: comments may stand between the tokens; each case as
        // Python's email package (policy.default) reads it
        String[][] cases = {
            {"text/plain (comment); charset=utf-8", "text/plain", "utf-8"},
            {"text/plain(c); charset=utf-8", "text/plain", "utf-8"},
            {"(c) text/plain; charset=utf-8", "text/plain", "utf-8"},
            {"text/plain (a; b); charset=utf-8", "text/plain", "utf-8"},
            {"text/plain; charset=utf-8 (x)", "text/plain", "utf-8"},
            {"text/plain; charset=utf-8 (x \\) y)", "text/plain", "utf-8"},
            {"text/plain; charset=utf-8 (unclosed", "text/plain", "utf-8"},
            {"text/plain; (c) charset=utf-8", "text/plain", "utf-8"},
            {"text/plain; charset=(c)utf-8", "text/plain", "utf-8"},
            {"text/plain; charset=\"utf-8\" (d (e)); format=flowed", "text/plain", "utf-8"},
            {"text/plain (a (b) c); charset*=utf-8''utf-8 (x)", "text/plain", "utf-8"},
        };
        for (String[] c : cases) {
            MimeParameters type = MimeParameters.parse(c[0]);
            assertEquals(c[1], type.value(), c[0]);
            assertEquals(c[2], type.get("charset"), c[0]);
            assertEquals(c[2], type.values("charset")[0], c[0]);
        }
        assertEquals("flowed", MimeParameters.parse("text/plain; charset=\"utf-8\" (d (e)); format=flowed")
                .get("format"));
        assertEquals("attachment", MimeParameters.parse("attachment (forwarded); filename=a.pdf").value());
        assertEquals("a.pdf", filename("attachment (forwarded); filename=a.pdf"));
    }

    @Test
    void parenthesesInQuotesOrInsideAnUnquotedNameStayText() {
        assertEquals("a (b).txt", MimeParameters.parse("text/plain; name=\"a (b).txt\" (c)").get("name"));
        assertEquals("=_Part 0'()+_,-./:=?",
                MimeParameters.parse("multipart/mixed; boundary=\"=_Part 0'()+_,-./:=?\"").get("boundary"));
        // deliberately not as Python's policy.default ("report"): a mailer's unquoted file name is kept whole
        assertEquals("report(1).pdf", filename("attachment; filename=report(1).pdf"));
        assertEquals("report (1).pdf", filename("attachment; filename=report (1).pdf"));
        assertEquals("report", filename("attachment; filename=report (1)"), "set apart at the end: a comment");
        assertEquals("a(1) (c)", filename("attachment; filename=a(1) (c)"), "glued: as sent");
    }

    /** A ';' in a comment of a kept file name ends nothing: the name is the sender's whole, the next parameter read. */
    @Test
    void aSemicolonInsideTheParenthesesOfAFileNameDoesNotCutIt() {
        MimeParameters disposition = MimeParameters.parse("attachment; filename=a(b;c).pdf; size=3");
        assertEquals("a(b;c).pdf", disposition.get("filename"));
        assertEquals("3", disposition.get("size"));
        assertEquals("a (b;c).pdf", filename("attachment; filename=a (b;c).pdf"), "text after the comment: kept");
        assertEquals("a\\\"(;)\"", filename("attachment; filename=a\\\"(;)\""),
                "a backslash and quotes of the kept text stay as sent");
        assertEquals("a(b;c).pdf", MimeParameters.parse("application/pdf; name=a(b;c).pdf").get("name"));
    }

    @Test
    void aParenthesisNeverClosedCostsNoOtherParameter() {
        MimeParameters multipart = MimeParameters.parse("multipart/mixed; name=Re foo (draft; boundary=\"abc\"");
        assertEquals("multipart/mixed", multipart.value());
        assertEquals("abc", multipart.get("boundary"));
        assertEquals("Re foo (draft", multipart.get("name"), "a file name keeps its text");
        MimeParameters disposition = MimeParameters.parse("attachment; filename=My file (draft.pdf; size=1");
        assertEquals("My file (draft.pdf", disposition.get("filename"));
        assertEquals("1", disposition.get("size"));
        MimeParameters type = MimeParameters.parse("text/plain (unclosed; charset=utf-8");
        assertEquals("text/plain", type.value());
        assertEquals("utf-8", type.get("charset"));
        assertEquals("utf-8", MimeParameters.parse("text/plain; charset=utf-8(x)").get("charset"),
                "a charset's glued comment is a comment (RFC 2045 5.1)");
        assertEquals("abc(1)", MimeParameters.parse("multipart/mixed; boundary=abc(1)").get("boundary"),
                "an unquoted boundary keeps its parentheses (RFC 2046 5.1.1 allows them quoted)");
        assertEquals("\\(x)", MimeParameters.parse("text/plain; a=\\(x); charset=utf-8").get("a"),
                "a backslash outside quotes and comments is text to every pass");
        assertEquals("utf-8", MimeParameters.parse("text/plain; a=\\(x); charset=utf-8").get("charset"));
        assertEquals("utf-8", MimeParameters.parse("text/plain; charset=utf-8 ((x); format=flowed").get("charset"));
        assertEquals("flowed", MimeParameters.parse("text/plain; charset=utf-8 ((x); format=flowed").get("format"));
    }

    @Test
    void hostileCommentsStayLinear() {
        String many = "text/plain" + "; a=b (c)".repeat(100_000) + "; charset=utf-8";
        String deep = "text/plain; charset=utf-8 " + "(".repeat(200_000) + ")".repeat(200_000);
        String open = "text/plain; charset=utf-8 " + "(\"".repeat(100_000);
        String quoted = "text/plain" + "; a=\"(\" (\")".repeat(100_000);
        String unclosed = "text/plain" + "; a=(".repeat(100_000) + "; charset=utf-8";
        String fileNames = "attachment" + "; filename=((".repeat(100_000) + "; size=1";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertEquals("utf-8", MimeParameters.parse(many).get("charset"));
            assertEquals("utf-8", MimeParameters.parse(deep).get("charset"));
            assertEquals("utf-8", MimeParameters.parse(open).get("charset"), "a comment never closed");
            assertEquals("(", MimeParameters.parse(quoted).get("a"));
            assertEquals("utf-8", MimeParameters.parse(unclosed).get("charset"), "many '(' never closed");
            assertEquals("1", MimeParameters.parse(fileNames).get("size"));
        });
    }
}
