package io.depproxy.accelerator.support;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback control plane: answers registry paths with whatever the test set (usually a send-data injection),
 * answers authorize with the test's AuthorizeResponse, accepts finalize forms, and records everything.
 */
public final class FakeControlPlane {
    private final Map<String, Handler<HttpServerRequest>> routes = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<String> heads = new CopyOnWriteArrayList<>();
    private volatile Function<HttpServerRequest, AuthorizeResponse> authorizer;
    private volatile int authorizeStatus = 200;
    private volatile Future<Void> finalizeGate = Future.succeededFuture();
    private HttpServer server;

    public static FakeControlPlane start(Vertx vertx) {
        FakeControlPlane controlPlane = new FakeControlPlane();
        controlPlane.server = Await.result(vertx.createHttpServer().requestHandler(controlPlane::handle)
                .listen(0, "127.0.0.1"));
        return controlPlane;
    }

    public String url() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    public void answer(String path, Handler<HttpServerRequest> handler) {
        routes.put(path, handler);
    }

    /** GETs of {@code path} answer 200, an empty body, and {@code injection} in the send-data header. */
    public void inject(String path, Injection injection) {
        answer(path, request -> request.response().putHeader(Headers.SEND_DATA, SendDataCodec.encode(injection))
                .putHeader("Content-Length", "0").end());
    }

    /**
     * As {@link #inject}; to the read-ahead's GET (marked {@code Gitlab-Workhorse-Read-Ahead: 1}) it also says, as the
     * control plane does, that the client's own GET may take the download on this answer for {@code reuseMillis}.
     */
    public void injectReusable(String path, Injection injection, long reuseMillis) {
        answer(path, request -> {
            if ("1".equals(request.getHeader(Headers.READ_AHEAD))) {
                request.response().putHeader(Headers.READ_AHEAD_REUSE, Long.toString(reuseMillis));
            }
            request.response().putHeader(Headers.SEND_DATA, SendDataCodec.encode(injection))
                    .putHeader("Content-Length", "0").end();
        });
    }

    public void authorizeWith(Function<HttpServerRequest, AuthorizeResponse> authorizer) {
        this.authorizer = authorizer;
    }

    /** Finalize calls are answered only once {@code gate} completes (a slow commit); the calls are recorded at once. */
    public void holdFinalize(Future<Void> gate) {
        this.finalizeGate = gate;
    }

    public void refuseAuthorize(int status) {
        this.authorizeStatus = status;
    }

    public List<RecordedRequest> requests(String path) {
        return requests.stream().filter(r -> r.path().equals(path)).toList();
    }

    public List<RecordedRequest> everyRequest() {
        return List.copyOf(requests);
    }

    public List<RecordedRequest> authorizeCalls() {
        return requests.stream().filter(r -> r.path().endsWith("/upload/authorize") && r.method().equals("POST"))
                .toList();
    }

    /** The stores that gave up after authorize ({@code DELETE …/upload/authorize?remote_id=…}). */
    public List<RecordedRequest> withdrawCalls() {
        return requests.stream().filter(r -> r.path().endsWith("/upload/authorize") && r.method().equals("DELETE"))
                .toList();
    }

    public List<RecordedRequest> finalizeCalls() {
        return requests.stream().filter(r -> r.path().endsWith("/upload") && r.method().equals("POST")).toList();
    }

    /** Requests to {@code path} whose head arrived, whether or not their body ever did (those are not recorded). */
    public long headsSeen(String path) {
        return heads.stream().filter(path::equals).count();
    }

    private void handle(HttpServerRequest request) {
        heads.add(request.path());
        request.body().onSuccess(body -> {
            requests.add(RecordedRequest.of(request, body));
            String path = request.path();
            if (path.endsWith("/upload/authorize") && request.method().name().equals("DELETE")) {
                request.response().setStatusCode(204).end();
            } else if (path.endsWith("/upload/authorize")) {
                authorize(request);
            } else if (path.endsWith("/upload") && request.method().name().equals("POST")) {
                finalizeGate.onComplete(ar -> request.response().putHeader("Content-Type", "application/json").end("{}"));
            } else if (path.equals("/-/health/live")) {
                request.response().end("{\"status\":\"UP\"}");
            } else {
                routes.getOrDefault(path, FakeUpstream.json(404, "{\"errors\":[]}")).handle(request);
            }
        });
    }

    private void authorize(HttpServerRequest request) {
        if (authorizeStatus != 200 || authorizer == null) {
            request.response().setStatusCode(authorizeStatus == 200 ? 500 : authorizeStatus)
                    .putHeader("Content-Type", "application/json").end("{\"message\":\"refused\"}");
            return;
        }
        request.response().putHeader("Content-Type", MediaTypes.WORKHORSE_INTERNAL_JSON)
                .end(authorizer.apply(request).toJson());
    }
}
