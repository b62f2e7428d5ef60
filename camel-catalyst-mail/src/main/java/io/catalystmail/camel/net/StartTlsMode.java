package io.catalystmail.camel.net;

/** Whether a plain connection upgrades to TLS with STARTTLS (SMTP, IMAP) or STLS (POP3). */
public enum StartTlsMode {
    /** Upgrade when the server offers it; go on in plain text otherwise (credentials still guarded). */
    WHEN_OFFERED,
    /** Upgrade or fail: a server that does not offer STARTTLS is refused before anything is sent. */
    REQUIRED,
    /** Never upgrade. */
    DISABLED
}
