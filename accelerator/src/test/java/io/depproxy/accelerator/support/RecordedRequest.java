package io.depproxy.accelerator.support;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** A request a fake server received; {@code body} is null when the fake did not read it (or it never completed). */
public record RecordedRequest(String method, String uri, String path, MultiMap headers, Buffer body) {

    public static RecordedRequest of(HttpServerRequest request, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(request.headers());
        return new RecordedRequest(request.method().name(), request.uri(), request.path(), headers, body);
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String bodyText() {
        return body == null ? null : body.toString();
    }
}
