package io.catalystmail.camel.mime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LexicalTokensTest {

    @Test
    void aQuotedStringEndsAtTheFirstQuoteThatIsNotQuoted() {
        String text = "x \"a \\\" b\" y";
        assertEquals(text.indexOf(" y"), LexicalTokens.quotedStringEnd(text, 2, text.length()));
        String unclosed = "\"never closed \\\"";
        assertEquals(unclosed.length(), LexicalTokens.quotedStringEnd(unclosed, 0, unclosed.length()));
        assertEquals(4, LexicalTokens.quotedStringEnd("\"abcd\"", 0, 4), "never past the end it is given");
    }

    @Test
    void aCommentEndsWhereItsNestingDoes() {
        String text = "(a (b \\) c) d) e";
        assertEquals(text.indexOf(" e"), LexicalTokens.commentEnd(text, 0, text.length()));
        assertEquals(6, LexicalTokens.commentEnd("((a) b", 0, 6), "unclosed: the end of the range");
        String deep = "(".repeat(100_000) + ")".repeat(100_000);
        assertEquals(deep.length(), LexicalTokens.commentEnd(deep, 0, deep.length()), "nesting is a counter");
    }

    @Test
    void quotedPairsAreUndoneAndAQuotedClosingQuoteClosesNothing() {
        String escaped = "say \\\"hi\\\" \\\\";
        assertEquals("say \"hi\" \\", LexicalTokens.unescaped(escaped, 0, escaped.length()));
        assertEquals("a\\", LexicalTokens.unescaped("a\\", 0, 2), "a backslash with nothing to quote stays");
        String unclosed = "\"ab\\\"";
        int end = LexicalTokens.quotedStringEnd(unclosed, 0, unclosed.length());
        assertEquals(unclosed.length(), LexicalTokens.quotedContentEnd(unclosed, 0, end),
                "the last quote is quoted: the content runs to the end");
        String closed = "\"ab\\\\\"";
        assertEquals(closed.length() - 1,
                LexicalTokens.quotedContentEnd(closed, 0, LexicalTokens.quotedStringEnd(closed, 0, closed.length())));
    }

    @Test
    void everyReaderOfStructuredValuesTakesAQuotedParenthesisInACommentAsText() {
        // before: the Outlook semicolon rewriting ended the comment at the quoted ')' and turned the ';' inside it
        // into a list separator
        assertEquals("a@x (b \\) c; d), e@y", MailAddresses.parserInput("a@x (b \\) c; d); e@y"));
        assertEquals("\"M\\\"; x\" <m@x>, e@y", MailAddresses.parserInput("\"M\\\"; x\" <m@x>; e@y"));
    }
}
