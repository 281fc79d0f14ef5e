package io.depproxy.controlplane.api;

import io.depproxy.contracts.Headers;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.logging.MDC;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Puts the accelerator's {@code X-Request-Id} into the log context as {@code request_id}. */
public class RequestIdFilter {
    private static final int MAX_LENGTH = 128;

    @ServerRequestFilter(preMatching = true)
    public void requestId(ContainerRequestContext request) {
        String id = request.getHeaderString(Headers.REQUEST_ID);
        if (id != null && !id.isBlank() && id.length() <= MAX_LENGTH) {
            MDC.put("request_id", id);
        } else {
            MDC.remove("request_id");
        }
    }
}
