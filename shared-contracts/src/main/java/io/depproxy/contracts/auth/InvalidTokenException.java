package io.depproxy.contracts.auth;

/** An internal JWT that is malformed, wrongly signed, from the wrong issuer or too old. */
public class InvalidTokenException extends RuntimeException {
    public InvalidTokenException(String message) {
        super(message);
    }
}
