package io.depproxy.accelerator.support;

import io.depproxy.accelerator.AcceleratorMain;
import io.depproxy.accelerator.SharedResources;
import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.UploadTarget;
import io.depproxy.contracts.upload.AuthorizeResponse;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts, per test, a fake control plane, a fake upstream and a fake object store on loopback port 0, and the
 * accelerator in front of them; provides a client and the usual injections.
 */
public abstract class AcceleratorTestBase {
    protected static final String GROUP_PATH = "/v2/acme/dependency_proxy/containers/alpine";

    protected Vertx vertx;
    protected FakeControlPlane controlPlane;
    protected FakeUpstream upstream;
    protected FakeObjectStore store;
    protected SharedResources shared;
    protected AcceleratorConfig config;
    protected int port;
    protected HttpClient client;
    protected Context clientContext;
    @TempDir
    protected Path spoolDir;

    /** Verticle instances; more than one spreads connections (and coalesced waiters) over event loops. */
    protected int instances() {
        return 1;
    }

    /** The hot tier of the accelerator each test starts with; off unless a test class is about it. */
    protected long hotCacheMaxBytes() {
        return 0;
    }

    @BeforeEach
    void startEverything() {
        vertx = Vertx.vertx();
        controlPlane = FakeControlPlane.start(vertx);
        upstream = FakeUpstream.start(vertx);
        store = FakeObjectStore.start(vertx);
        controlPlane.authorizeWith(request -> new AuthorizeResponse(
                store.remoteObject("tmp-1", request.getHeader(Headers.UPLOAD_LENGTH) == null),
                AuthorizeResponse.MAX_BLOB_SIZE));
        config = TestConfig.loopback(URI.create(controlPlane.url()), spoolDir).hotCacheMaxBytes(hotCacheMaxBytes())
                .build();
        port = startAccelerator(config, instances());
        client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1"),
                new PoolOptions().setHttp1MaxSize(16));
        clientContext = vertx.getOrCreateContext();
    }

    @AfterEach
    void stopEverything() {
        Await.result(vertx.close());
    }

    /**
     * Starts another accelerator (same Vertx) with one verticle and answers its port; the last one started is
     * {@link #shared}. (Several multi-instance accelerators on port 0 in one Vertx would share one random port.)
     */
    protected int startAccelerator(AcceleratorConfig configuration) {
        return startAccelerator(configuration, 1);
    }

    private int startAccelerator(AcceleratorConfig configuration, int verticles) {
        shared = SharedResources.create(vertx, configuration);
        return Await.result(AcceleratorMain.start(vertx, configuration, shared, verticles));
    }

    protected ClientResponse get(String path, String... headerPairs) {
        return call(port, HttpMethod.GET, path, headerPairs);
    }

    protected ClientResponse call(int acceleratorPort, HttpMethod method, String path, String... headerPairs) {
        return Await.result(send(acceleratorPort, method, path, null, headerPairs));
    }

    protected Future<ClientResponse> send(int acceleratorPort, HttpMethod method, String path, Buffer body,
                                          String... headerPairs) {
        RequestOptions options = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(acceleratorPort)
                .setURI(path).setIdleTimeout(20_000);
        for (int i = 0; i < headerPairs.length; i += 2) {
            options.addHeader(headerPairs[i], headerPairs[i + 1]);
        }
        return onClientContext(() -> client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().transform(ar -> Future.succeededFuture(new ClientResponse(
                        response.statusCode(), response.headers(), ar.succeeded() ? ar.result() : null,
                        ar.succeeded() ? null : ar.cause())))));
    }

    /**
     * Runs a client call on the test client's one context. Started from the test thread, each request would get a
     * context of its own, and the callback that sets a response's handlers could then run a hop after its body
     * arrived on the connection's event loop: the body is dropped and the test hangs.
     */
    protected <T> Future<T> onClientContext(Supplier<Future<T>> call) {
        Promise<T> result = Promise.promise();
        clientContext.runOnContext(v -> call.get().onComplete(result));
        return result.future();
    }

    /** The test configuration with other bounds: upstream header timeout, upstream stall, client stall. */
    protected AcceleratorConfig withTimeouts(Duration header, Duration upstreamStall, Duration clientStall) {
        return config.toBuilder().upstreamHeaderTimeout(header).upstreamStallTimeout(upstreamStall)
                .clientStallTimeout(clientStall).build();
    }

    /** Nothing of a download is left in the spool: no reservation, no file, no in-flight fetch. */
    protected boolean spoolIsEmpty() {
        return shared.spool().usedBytes() == 0 && spoolDir.toFile().list().length == 0 && shared.inflight().size() == 0;
    }

    /**
     * Exactly {@code count} stores (a download copied to object storage and finalized) are over, finalized or given
     * up, and none is in progress. A fetch starts its store when the body begins, so once its fetch has ended too, a
     * download can be stored no more: what a test waits for before it asserts that nothing (more) was stored.
     */
    protected boolean storesEnded(long count) {
        return counted("accel_uploads_finalized_total") + counted("accel_upload_failures_total") == count
                && shared.work().uploads() == 0;
    }

    /** The value of one of the accelerator's unlabelled counters, as {@code /-/metrics} shows it. */
    protected long counted(String counter) {
        return (long) shared.metrics().registry().get(counter).counter().count();
    }

    /** A blob miss as the control plane would send it, fetching {@code upstreamPath} from the fake upstream. */
    protected SendDependency blobMiss(String upstreamPath, String digest, String coalesce) {
        return blobMissFrom(upstream.url(upstreamPath), digest, coalesce);
    }

    /** A blob miss fetching {@code upstreamUrl} (any upstream). */
    protected SendDependency blobMissFrom(String upstreamUrl, String digest, String coalesce) {
        String clientPath = GROUP_PATH + "/blobs/" + digest;
        return new SendDependency(upstreamUrl,
                HeaderMap.single("Authorization", "Bearer upstream-token"),
                HeaderMap.of(Map.of(Headers.DISTRIBUTION_API_VERSION, List.of(Headers.DISTRIBUTION_API_VERSION_VALUE),
                        Headers.CACHE_STATUS, List.of("miss"))),
                new UploadTarget("POST", clientPath + "/upload", HeaderMap.empty()),
                digest,
                coalesce,
                null);
    }

    protected static String blobPath(String digest) {
        return GROUP_PATH + "/blobs/" + digest;
    }

    protected static Buffer randomBytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return Buffer.buffer(bytes);
    }

    protected static String digestOf(Buffer bytes) {
        return Digests.sha256(bytes.getBytes());
    }

    protected static String hexOf(Buffer bytes) {
        return Digests.hexOf(digestOf(bytes));
    }
}
