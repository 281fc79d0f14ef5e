package io.depproxy.accelerator.edge;

import java.time.Duration;

/** A forwarded request body did not arrive whole within {@code DP_REQUEST_BODY_TIMEOUT}. */
public final class RequestBodyTimeoutException extends RuntimeException {
    public RequestBodyTimeoutException(Duration timeout) {
        super("edge: the request body did not arrive within " + timeout.toMillis() + " ms", null, false, false);
    }
}
