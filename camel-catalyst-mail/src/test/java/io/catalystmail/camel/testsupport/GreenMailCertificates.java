package io.catalystmail.camel.testsupport;

import java.io.InputStream;
import java.security.KeyStore;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts from the self-signed test certificate inside the GreenMail jar ({@code greenmail.p12}, alias
 * {@code greenmail}, store password {@code changeit}). Its subject is "CN=GreenMail selfsigned Test
 * Certificate" with no subject alternative names, so it names no host: clients must trust it explicitly and
 * can only accept it with host-name verification off.
 */
public final class GreenMailCertificates {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private GreenMailCertificates() {
    }

    private static KeyStore keyStore() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = GreenMailCertificates.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            if (in == null) {
                throw new IllegalStateException("greenmail.p12 not on the test class path");
            }
            store.load(in, PASSWORD);
        }
        return store;
    }

    /** A client context that trusts GreenMail's certificate (and nothing else). */
    public static SSLContext trustingClientContext() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    /** A server context presenting GreenMail's certificate, for a scripted peer. */
    public static SSLContext serverContext() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    /** Camel TLS parameters trusting GreenMail's bundled certificate (it names no host: pair with verifyHostname=false). */
    public static org.apache.camel.support.jsse.SSLContextParameters trustParameters() {
        org.apache.camel.support.jsse.KeyStoreParameters store = new org.apache.camel.support.jsse.KeyStoreParameters();
        store.setResource("classpath:greenmail.p12");
        store.setPassword(new String(PASSWORD));
        store.setType("PKCS12");
        org.apache.camel.support.jsse.TrustManagersParameters trust = new org.apache.camel.support.jsse.TrustManagersParameters();
        trust.setKeyStore(store);
        org.apache.camel.support.jsse.SSLContextParameters parameters = new org.apache.camel.support.jsse.SSLContextParameters();
        parameters.setTrustManagers(trust);
        return parameters;
    }
}
