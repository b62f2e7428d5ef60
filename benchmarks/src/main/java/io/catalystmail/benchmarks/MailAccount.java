package io.catalystmail.benchmarks;

/** A mailbox on the server under test: the login, the address mail for it is sent to, and its password. */
record MailAccount(String login, String address, String password) {
}
