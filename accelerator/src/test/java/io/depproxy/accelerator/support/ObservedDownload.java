package io.depproxy.accelerator.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A client that records its head, counts the body, and stops reading after {@code pauseAfter} bytes. */
public final class ObservedDownload {
    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);
    private final HttpClient client;
    private final Context clientContext;
    private final int port;
    private final long pauseAfter;
    private final AtomicLong received = new AtomicLong();
    private final AtomicBoolean paused = new AtomicBoolean();
    private volatile int status;
    private volatile HttpClientResponse response;

    public ObservedDownload(HttpClient client, Context clientContext, int port, long pauseAfter) {
        this.client = client;
        this.clientContext = clientContext;
        this.port = port;
        this.pauseAfter = pauseAfter;
    }

    /** Runs the download and answers how the body failed (null when it completed), within a few seconds. */
    public Throwable start(String path) {
        return Await.result(begin(path), FEW_SECONDS);
    }

    public Future<Throwable> begin(String path) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
                .setURI(path).setIdleTimeout(20_000);
        Promise<Throwable> outcome = Promise.promise();
        runOnClientContext(() -> client.request(options).compose(request -> request.send()).map(answer -> {
            response = answer;
            status = answer.statusCode();
            answer.exceptionHandler(outcome::tryComplete);
            answer.endHandler(v -> outcome.tryComplete(null));
            answer.handler(this::onChunk);
            return answer;
        })).onFailure(outcome::tryComplete);
        return outcome.future();
    }

    private void onChunk(Buffer chunk) {
        if (received.addAndGet(chunk.length()) >= pauseAfter && !paused.get()) {
            response.pause();
            paused.set(true);
        }
    }

    public void resume() {
        clientContext.runOnContext(v -> response.resume());
    }

    public boolean gotHead() {
        return status != 0;
    }

    public boolean paused() {
        return paused.get();
    }

    public int status() {
        return status;
    }

    public long received() {
        return received.get();
    }

    /** Client calls go through the client's one context (see AcceleratorTestBase#onClientContext). */
    private <T> Future<T> runOnClientContext(Supplier<Future<T>> call) {
        Promise<T> result = Promise.promise();
        clientContext.runOnContext(v -> call.get().onComplete(result));
        return result.future();
    }
}
