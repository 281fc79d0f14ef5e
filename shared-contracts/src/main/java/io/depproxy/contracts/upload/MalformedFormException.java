package io.depproxy.contracts.upload;

/** An {@code application/x-www-form-urlencoded} body that cannot be decoded (a bad {@code %} escape). */
public class MalformedFormException extends IllegalArgumentException {
    public MalformedFormException(String message, Throwable cause) {
        super(message, cause);
    }
}
