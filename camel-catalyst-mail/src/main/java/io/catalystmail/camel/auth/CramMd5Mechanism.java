package io.catalystmail.camel.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** CRAM-MD5 (RFC 2195): user name, space, lower-case hex HMAC-MD5 of the challenge keyed with the password. */
final class CramMd5Mechanism implements SaslMechanism {

    private final Credentials credentials;

    CramMd5Mechanism(Credentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public String name() {
        return "CRAM-MD5";
    }

    @Override
    public byte[] initialResponse() {
        return null;
    }

    @Override
    public byte[] respond(byte[] challenge) throws AuthenticationException {
        if (credentials.password() == null) {
            throw new AuthenticationException("CRAM-MD5 needs a password, but none is configured");
        }
        try {
            Mac mac = Mac.getInstance("HmacMD5");
            mac.init(new SecretKeySpec(credentials.password().getBytes(StandardCharsets.UTF_8), "HmacMD5"));
            byte[] digest = mac.doFinal(challenge);
            StringBuilder sb = new StringBuilder(credentials.username()).append(' ');
            for (byte b : digest) {
                sb.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
            }
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new AuthenticationException("CRAM-MD5 is not available in this JVM", e);
        }
    }
}
