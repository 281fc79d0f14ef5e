package io.depproxy.accelerator.inject;

import io.depproxy.contracts.senddata.HeaderMap;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import java.util.List;

/** Which answer headers reach the client, and the control plane's ResponseHeaders that override them. */
final class ClientHeaders {
    private ClientHeaders() {
    }

    /** Copies the named headers from {@code source} (only those present). */
    static MultiMap select(MultiMap source, List<String> names) {
        MultiMap selected = MultiMap.caseInsensitiveMultiMap();
        for (String name : names) {
            List<String> values = source.getAll(name);
            if (!values.isEmpty()) {
                selected.set(name, values);
            }
        }
        return selected;
    }

    /** Writes the status and headers, then the overrides; chunked when the length is unknown. */
    static void writeHead(HttpServerResponse response, int status, MultiMap headers, HeaderMap overrides) {
        response.setStatusCode(status);
        response.headers().addAll(headers);
        override(response, overrides);
        if (!response.headers().contains(HttpHeaders.CONTENT_LENGTH)) {
            response.setChunked(true);
        }
    }

    static void override(HttpServerResponse response, HeaderMap overrides) {
        overrides.asMap().forEach((name, values) -> response.headers().set(name, values));
    }
}
