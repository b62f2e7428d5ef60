package io.catalystmail.camel.auth;

import java.io.IOException;

/** The server refused the credentials, or none of the mechanisms could be used. Never carries a secret. */
public class AuthenticationException extends IOException {

    public AuthenticationException(String message) {
        super(message);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
