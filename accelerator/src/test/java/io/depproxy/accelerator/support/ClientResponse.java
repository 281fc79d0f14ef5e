package io.depproxy.accelerator.support;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** What a test client got: status and headers, then either the whole body or the failure that cut it off. */
public record ClientResponse(int status, MultiMap headers, Buffer body, Throwable failure) {

    public boolean completed() {
        return failure == null;
    }

    public String header(String name) {
        return headers == null ? null : headers.get(name);
    }

    public String bodyText() {
        return body == null ? null : body.toString();
    }
}
