package io.depproxy.accelerator.upstream;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.streams.ReadStream;

/**
 * An upstream answer, paused on arrival, whose body is a {@link ReadStream} that never loses its failure.
 * <p>
 * Vert.x 5 hands a broken connection to the response at once, even while it is paused with body bytes still queued;
 * with no exception handler set yet the failure is only logged, and the body then neither ends nor fails: whoever
 * pipes it later (once its spool file is open, or on the client's turn) would wait forever. This wrapper listens from
 * the first moment, keeps the failure, and delivers it when the consumer starts reading. Use it on the context the
 * answer arrived on.
 */
public final class UpstreamResponse implements ReadStream<Buffer> {
    private final HttpClientResponse response;
    private Throwable failure;
    private boolean failureDelivered;
    private Handler<Throwable> exceptionHandler;

    UpstreamResponse(HttpClientResponse response) {
        this.response = response;
        response.pause();
        response.exceptionHandler(this::failed);
    }

    /** An answer fetched outside {@link UpstreamClient} (another replica's peer route), read the same way. */
    public static UpstreamResponse of(HttpClientResponse response) {
        return new UpstreamResponse(response);
    }

    public int statusCode() {
        return response.statusCode();
    }

    public MultiMap headers() {
        return response.headers();
    }

    public String getHeader(CharSequence name) {
        return response.getHeader(name);
    }

    /** Stops the download (closes its connection); the body fails if it has not ended. */
    public void reset() {
        response.request().reset();
    }

    @Override
    public UpstreamResponse handler(Handler<Buffer> handler) {
        response.handler(handler);
        return this;
    }

    @Override
    public UpstreamResponse endHandler(Handler<Void> handler) {
        response.endHandler(handler);
        return this;
    }

    @Override
    public UpstreamResponse exceptionHandler(Handler<Throwable> handler) {
        exceptionHandler = handler;
        return this;
    }

    @Override
    public UpstreamResponse pause() {
        response.pause();
        return this;
    }

    @Override
    public UpstreamResponse resume() {
        return fetch(Long.MAX_VALUE);
    }

    /** The consumer wants bytes: a failure that came while nobody listened is delivered now, instead of any. */
    @Override
    public UpstreamResponse fetch(long amount) {
        if (failure != null && !failureDelivered && exceptionHandler != null) {
            deliver();
            return this;
        }
        response.fetch(amount);
        return this;
    }

    private void failed(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        if (exceptionHandler != null && !failureDelivered) {
            deliver();
        }
    }

    private void deliver() {
        failureDelivered = true;
        exceptionHandler.handle(failure);
    }
}
