package io.depproxy.contracts.senddata;

/** A send-data header that cannot be decoded or whose fields are invalid. */
public class MalformedInjectionException extends RuntimeException {
    public MalformedInjectionException(String message) {
        super(message);
    }

    public MalformedInjectionException(String message, Throwable cause) {
        super(message, cause);
    }
}
