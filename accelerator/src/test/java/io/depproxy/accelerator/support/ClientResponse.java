package io.depproxy.accelerator.support;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/** What a test client got: status and headers, then either the whole body or the failure that cut it off. */
public record ClientResponse(int status, MultiMap headers, Buffer body, Throwable failure) {

    public boolean completed() {
        return failure == null;
    }

    /** A 200 whose body arrived whole: what a client must never get for a blob that is broken or wrong. */
    public boolean completeOk() {
        return completed() && status == 200;
    }

    public String header(String name) {
        return headers == null ? null : headers.get(name);
    }

    public String bodyText() {
        return body == null ? null : body.toString();
    }
}
