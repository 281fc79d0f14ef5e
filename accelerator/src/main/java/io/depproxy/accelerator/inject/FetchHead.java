package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.depproxy.accelerator.upstream.UpstreamResponse;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** What a shared upstream fetch turned into once its answer arrived; every waiter is served from the same head. */
sealed interface FetchHead permits FetchHead.UpstreamError, FetchHead.Spooled, FetchHead.PassThrough {

    /**
     * A non-2xx answer, read into memory (bounded) so every waiter can relay it. Nothing is stored.
     *
     * @param retryAfter the upstream's {@code Retry-After}, or null
     */
    record UpstreamError(int status, String contentType, Optional<Buffer> body, String retryAfter) implements FetchHead {
        static Future<FetchHead> read(UpstreamResponse response) {
            String contentType = response.getHeader(HttpHeaders.CONTENT_TYPE);
            String retryAfter = response.getHeader("Retry-After");
            return BoundedBody.read(response)
                    .map(body -> new UpstreamError(response.statusCode(), contentType, body, retryAfter));
        }

        /** The upstream's own body when it is a JSON document, as registries send; otherwise empty. */
        Optional<Buffer> jsonBody() {
            return contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json") ? body : Optional.empty();
        }
    }

    /** A 2xx answer being written to the spool: each client tails {@code entry} from byte 0. */
    record Spooled(MultiMap headers, SpoolEntry entry) implements FetchHead {
    }

    /** A 2xx answer the spool had no room for: only one client can take the stream; the others fetch on their own. */
    record PassThrough(MultiMap headers, UpstreamResponse response, AtomicBoolean claimed) implements FetchHead {
        boolean claim() {
            return claimed.compareAndSet(false, true);
        }
    }
}
