package io.catalystmail.camel.auth;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The account's name is a SHA-256 of the user name ({@link AccountTag}), asked for at each login (POP3's masked
 * USER line, error texts): computed once with the credentials, and kept when a refused token is replaced.
 */
class CredentialsTest {

    @Test
    void theAccountIsNamedByItsTagComputedOnce() {
        Credentials credentials = new Credentials("ivy@example.org", "s3cret", null, null);
        String account = credentials.account();
        assertEquals("account " + AccountTag.of("ivy@example.org"), account);
        assertSame(account, credentials.account(), "the same text, not hashed again");
    }

    @Test
    void aRefreshedTokenKeepsTheAccountsName() {
        Credentials credentials = new Credentials("ivy@example.org", null, user -> "token", "XOAUTH2");
        assertSame(credentials.account(), credentials.withRefreshedToken().account());
    }

    @Test
    void noCredentialsAreNoAccount() {
        assertEquals("account " + AccountTag.NONE, Credentials.NONE.account());
    }
}
