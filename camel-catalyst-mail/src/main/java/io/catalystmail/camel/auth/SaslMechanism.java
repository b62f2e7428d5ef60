package io.catalystmail.camel.auth;

/**
 * The client side of one SASL exchange (RFC 4422), independent of the protocol that frames it. Protocol code
 * base64-encodes what this returns and decodes what the server sends before calling {@link #respond}.
 */
public interface SaslMechanism {

    /** The registered mechanism name, e.g. {@code PLAIN}. */
    String name();

    /** The initial response sent with the AUTH/AUTHENTICATE command, or null to wait for a first challenge. */
    byte[] initialResponse() throws AuthenticationException;

    /** The answer to a server challenge. */
    byte[] respond(byte[] challenge) throws AuthenticationException;
}
