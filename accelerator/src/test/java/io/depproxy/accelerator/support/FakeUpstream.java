package io.depproxy.accelerator.support;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.awaitility.core.ConditionTimeoutException;

/** A loopback upstream registry (or CDN): answers per path with canned behaviours and records every request. */
public final class FakeUpstream {
    private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private HttpServer server;

    public static FakeUpstream start(Vertx vertx) {
        FakeUpstream upstream = new FakeUpstream();
        upstream.server = Await.result(vertx.createHttpServer().requestHandler(upstream::handle).listen(0, "127.0.0.1"));
        return upstream;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    public void serve(String path, Handler<HttpServerRequest> handler) {
        routes.put(path, handler);
    }

    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public long gets(String path) {
        return requests(path).stream().filter(r -> r.method().equals("GET")).count();
    }

    private void handle(HttpServerRequest request) {
        requests.add(RecordedRequest.of(request, null));
        Handler<HttpServerRequest> handler = routes.get(request.path());
        if (handler == null) {
            json(404, "{\"errors\":[{\"code\":\"NAME_UNKNOWN\",\"message\":\"no route\"}]}").handle(request);
        } else {
            handler.handle(request);
        }
    }

    /** 200 with Content-Length. */
    public static Handler<HttpServerRequest> blob(Buffer bytes) {
        return request -> ok(request).putHeader("Content-Length", Integer.toString(bytes.length())).end(bytes);
    }

    /** 200 without Content-Length: the body comes in 64 KiB chunks. */
    public static Handler<HttpServerRequest> chunked(Buffer bytes) {
        return request -> {
            HttpServerResponse response = ok(request).setChunked(true);
            for (int offset = 0; offset < bytes.length(); offset += 65536) {
                response.write(bytes.slice(offset, Math.min(bytes.length(), offset + 65536)));
            }
            response.end();
        };
    }

    /**
     * 200 with Content-Length, but only once {@code ready} holds; then the body trickles in {@code chunk}-byte
     * pieces every {@code delayMs}, so the download stays in progress for a while.
     */
    public static Handler<HttpServerRequest> slowBlob(Vertx vertx, Buffer bytes, int chunk, long delayMs,
                                                      BooleanSupplier ready) {
        return request -> waitUntil(vertx, ready, () -> {
            HttpServerResponse response = ok(request).putHeader("Content-Length", Integer.toString(bytes.length()));
            trickle(vertx, response, bytes, 0, chunk, delayMs);
        });
    }

    /** Announces {@code announced} bytes, sends {@code bytes}, then drops the connection. */
    public static Handler<HttpServerRequest> shortBody(Buffer bytes, long announced) {
        return request -> {
            HttpServerResponse response = ok(request).putHeader("Content-Length", Long.toString(announced));
            response.write(bytes).onComplete(ar -> request.connection().close());
        };
    }

    /**
     * Announces {@code announced} bytes and sends {@code bytes} at once, then drops the connection as soon as
     * {@code when} holds.
     */
    public static Handler<HttpServerRequest> dropsConnection(Vertx vertx, Buffer bytes, long announced,
                                                             BooleanSupplier when) {
        return request -> {
            HttpServerResponse response = ok(request).putHeader("Content-Length", Long.toString(announced));
            (bytes.length() == 0 ? response.writeHead() : response.write(bytes))
                    .onComplete(ar -> waitUntil(vertx, when, () -> request.connection().close()));
        };
    }

    /**
     * 200 with Content-Length: the head at once, the body only once {@code sendBodyWhen} holds, or after
     * {@code maxWaitMs} all the same (then {@code gaveUp} is set: the condition never held while no body byte was out).
     */
    public static Handler<HttpServerRequest> headThenBody(Vertx vertx, Buffer bytes, BooleanSupplier sendBodyWhen,
                                                          long maxWaitMs, AtomicBoolean gaveUp) {
        return request -> {
            HttpServerResponse response = ok(request).putHeader("Content-Length", Integer.toString(bytes.length()));
            response.writeHead().onComplete(ar -> vertx.executeBlocking(() -> {
                try {
                    Await.await("the body's condition").atMost(Duration.ofMillis(maxWaitMs))
                            .until(sendBodyWhen::getAsBoolean);
                } catch (ConditionTimeoutException e) {
                    gaveUp.set(true);
                }
                return null;
            }, false).onComplete(done -> response.end(bytes)));
        };
    }

    public static Handler<HttpServerRequest> json(int status, String body) {
        return request -> request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(body);
    }

    public static Handler<HttpServerRequest> redirect(String location) {
        return request -> request.response().setStatusCode(307).putHeader("Location", location).end();
    }

    /** Accepts the request and never answers. */
    public static Handler<HttpServerRequest> silent() {
        return request -> {
        };
    }

    private static HttpServerResponse ok(HttpServerRequest request) {
        return request.response().setStatusCode(200).putHeader("Content-Type", "application/octet-stream");
    }

    private static void trickle(Vertx vertx, HttpServerResponse response, Buffer bytes, int offset, int chunk,
                                long delayMs) {
        if (offset >= bytes.length()) {
            response.end();
            return;
        }
        response.write(bytes.slice(offset, Math.min(bytes.length(), offset + chunk)));
        vertx.setTimer(delayMs, id -> trickle(vertx, response, bytes, offset + chunk, chunk, delayMs));
    }

    /**
     * Runs {@code then} on the request's context once {@code ready} holds: Awaitility waits for it on a worker
     * thread, never on the event loop.
     */
    private static void waitUntil(Vertx vertx, BooleanSupplier ready, Runnable then) {
        if (ready.getAsBoolean()) {
            then.run();
            return;
        }
        vertx.executeBlocking(() -> {
            Await.await("the fake upstream's condition").until(ready::getAsBoolean);
            return null;
        }, false).onSuccess(v -> then.run());
    }
}
