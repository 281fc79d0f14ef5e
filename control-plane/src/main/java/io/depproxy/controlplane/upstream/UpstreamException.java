package io.depproxy.controlplane.upstream;

/** The upstream registry (or its token service) could not be reached, timed out, or refused a token. */
public class UpstreamException extends RuntimeException {
    public UpstreamException(String message) {
        super(message);
    }

    public UpstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
