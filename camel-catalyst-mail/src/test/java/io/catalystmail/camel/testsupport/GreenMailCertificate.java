package io.catalystmail.camel.testsupport;

import java.io.InputStream;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * GreenMail's self-signed test certificate, from the keystore inside the greenmail jar ({@code greenmail.p12},
 * password {@code changeit}). It is issued to "GreenMail selfsigned Test Certificate" and names no host, so
 * clients must turn the host name check off to accept it.
 */
public final class GreenMailCertificate {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private GreenMailCertificate() {
    }

    private static KeyStore bundled() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = com.icegreen.greenmail.util.GreenMail.class.getResourceAsStream("/greenmail.p12")) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A client context that trusts this certificate and nothing else. */
    public static SSLContext trustingIt() throws Exception {
        KeyStore bundled = bundled();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("greenmail", bundled.getCertificate(bundled.aliases().nextElement()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A server context presenting this certificate, for scripted peers. */
    public static SSLContext serving() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(bundled(), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }
}
