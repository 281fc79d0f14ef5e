package io.depproxy.accelerator.edge;

/** A forwarded request body went past {@link EdgeLimits#MAX_FORWARDED_BODY_BYTES}. */
public final class BodyTooLargeException extends RuntimeException {
    public BodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes");
    }
}
