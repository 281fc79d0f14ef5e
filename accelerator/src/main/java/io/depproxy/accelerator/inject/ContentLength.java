package io.depproxy.accelerator.inject;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The length a response announces, the one way every injector reads it (the upstream's, the object store's, a
 * peer's): -1 when there is none, it is malformed, or the body is chunked (a {@code Transfer-Encoding} wins over a
 * {@code Content-Length}, as HTTP/1.1 says), so a wrong announcement is never taken as the length to verify against.
 */
final class ContentLength {
    private ContentLength() {
    }

    static long of(MultiMap headers) {
        String value = headers.get(HttpHeaders.CONTENT_LENGTH);
        if (value == null || headers.contains(HttpHeaders.TRANSFER_ENCODING)) {
            return -1;
        }
        try {
            long length = Long.parseLong(value.trim());
            return length < 0 ? -1 : length;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
