package io.catalystmail.camel.interop;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * The real Dovecot and Postfix started by {@code scripts/mail-servers.sh}, as its {@code env} command describes
 * them in CATALYST_* variables. Missing variables fail the test (never skip it): the interop profile exists to
 * show that these tests ran. {@link InteropTestSupport} checks them all before this class is loaded.
 */
final class InteropServers {

    static final String PASSWORD = required("CATALYST_MAIL_PASSWORD");
    /** The name the servers' certificate carries; TLS connections must use it for host name verification. */
    static final String HOST = required("CATALYST_MAIL_HOST");
    static final String DOMAIN = required("CATALYST_MAIL_DOMAIN");
    static final int IMAP = port("CATALYST_IMAP_PORT");
    static final int IMAPS = port("CATALYST_IMAPS_PORT");
    static final int POP3 = port("CATALYST_POP3_PORT");
    static final int POP3S = port("CATALYST_POP3S_PORT");
    static final int SMTP = port("CATALYST_SMTP_PORT");
    static final int SMTPS = port("CATALYST_SMTPS_PORT");
    static final int SUBMISSION = port("CATALYST_SUBMISSION_PORT");
    static final String TRUSTSTORE = required("CATALYST_TRUSTSTORE");
    static final String TRUSTSTORE_PASSWORD = required("CATALYST_TRUSTSTORE_PASSWORD");
    /** Where the servers keep configuration and logs; the Postfix log shows what the server saw. */
    static final Path SERVERS_DIR = Path.of(required("CATALYST_SERVERS_DIR"));

    /**
     * Which real servers the variables describe: {@code dovecot} (Dovecot and Postfix, the default), {@code james}
     * (Apache James for IMAP, POP3 and SMTP, from {@code scripts/mail-servers.sh env-james}) or {@code cyrus} (Cyrus
     * IMAP for IMAP and POP3, Postfix delivering to it over LMTP, from {@code env-cyrus}). Tests name what differs.
     */
    static final String KIND = System.getenv().getOrDefault("CATALYST_SERVER_KIND", "dovecot");
    /**
     * James only: SMTP with James's shipped policy, AUTH announced only to addresses outside 127.0.0.0/8 (loopback
     * relays without it). Postfix here offers AUTH on every port; -1 for Dovecot/Postfix.
     */
    static final int TRUSTING_SMTP = KIND.equals("james") ? port("CATALYST_TRUSTED_SMTP_PORT") : -1;

    /** Registry name of {@link #trust()} in every interop test. */
    static final String TLS_BEAN = "interopTls";

    private InteropServers() {
    }

    /** True when the suite runs against Apache James rather than Dovecot and Postfix. */
    static boolean james() {
        return KIND.equals("james");
    }

    /** True when the suite runs against Cyrus IMAP (SMTP is still Postfix's, handing mail to Cyrus's LMTP). */
    static boolean cyrus() {
        return KIND.equals("cyrus");
    }

    static String address(String user) {
        return user + "@" + DOMAIN;
    }

    /** Trusts exactly the servers' self-signed certificate, as a user would configure it. */
    static SSLContextParameters trust() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setType("PKCS12");
        store.setResource("file:" + TRUSTSTORE);
        store.setPassword(TRUSTSTORE_PASSWORD);
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters params = new SSLContextParameters();
        params.setTrustManagers(trust);
        return params;
    }

    /** The Postfix log lines containing {@code text}. */
    static List<String> postfixLog(String text) {
        Path log = SERVERS_DIR.resolve("postfix.log");
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains(text)) {
                    out.add(line);
                }
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + log + ": " + e, e);
        }
    }

    private static int port(String name) {
        String value = required(name);
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(name + " is not a port number: " + value);
        }
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set. " + InteropTestSupport.HOW_TO_START);
        }
        return value;
    }
}
