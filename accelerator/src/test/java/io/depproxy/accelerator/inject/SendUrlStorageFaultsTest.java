package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A hit whose object store misbehaves: a client that leaves closes the object-store GET at once (no bytes keep
 * being pulled for nobody), and a store that is dead or silent answers 503 UNAVAILABLE, within the header timeout.
 */
class SendUrlStorageFaultsTest extends AcceleratorTestBase {
    private static final Duration LONG_HEADER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration PROMPTLY = Duration.ofSeconds(5);
    private static final String DIGEST = "sha256:" + "c".repeat(64);

    @Test
    void closesTheObjectStoreGetWhenTheClientLeavesMidBody() {
        Promise<Void> storeClosed = Promise.promise();
        String url = storeAnswering(request -> {
            request.connection().closeHandler(v -> storeClosed.tryComplete());
            request.response().putHeader("Content-Length", Long.toString(1L << 30))
                    .write(Buffer.buffer(new byte[64 * 1024]));
        });
        int accelerator = startAccelerator(withHeaderTimeout(LONG_HEADER_TIMEOUT));
        controlPlane.inject(blobPath(DIGEST), SendUrl.proxy(url, hitHeaders()));

        leaveAfterFirstBytes(accelerator);

        Await.result(storeClosed.future(), PROMPTLY);
    }

    @Test
    void closesTheObjectStoreGetWhenTheClientLeavesBeforeItAnswered() {
        Promise<Void> storeClosed = Promise.promise();
        Promise<Void> storeAsked = Promise.promise();
        String url = storeAnswering(request -> {
            request.connection().closeHandler(v -> storeClosed.tryComplete());
            storeAsked.tryComplete();
        });
        int accelerator = startAccelerator(withHeaderTimeout(LONG_HEADER_TIMEOUT));
        controlPlane.inject(blobPath(DIGEST), SendUrl.proxy(url, hitHeaders()));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(accelerator).setURI(blobPath(DIGEST));

        onClientContext(() -> client.request(options).compose(request -> {
            request.send();
            return storeAsked.future().map(v -> request.reset());
        }));

        Await.result(storeClosed.future(), PROMPTLY);
    }

    @Test
    void answers503AtOnceWhenTheObjectStoreRefusesConnections() {
        controlPlane.inject(blobPath(DIGEST), SendUrl.proxy("http://127.0.0.1:1/bucket/x?X-Amz-Signature=s",
                hitHeaders()));

        ClientResponse response = Await.result(send(port, HttpMethod.GET, blobPath(DIGEST), null), PROMPTLY);

        assertUnavailable(response);
    }

    @Test
    void answers503WithinTheHeaderTimeoutWhenTheObjectStoreNeverAnswers() {
        String url = storeAnswering(request -> {
        });
        controlPlane.inject(blobPath(DIGEST), SendUrl.proxy(url, hitHeaders()));

        ClientResponse response = Await.result(send(port, HttpMethod.GET, blobPath(DIGEST), null),
                config.upstreamHeaderTimeout().plus(PROMPTLY));

        assertUnavailable(response);
    }

    private static void assertUnavailable(ClientResponse response) {
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Content-Type")).isEqualTo(MediaTypes.REGISTRY_ERROR_JSON);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
    }

    /** Reads the head and the first body bytes of a hit, then closes the connection. */
    private void leaveAfterFirstBytes(int accelerator) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1")
                .setPort(accelerator).setURI(blobPath(DIGEST));
        Promise<Void> firstBytes = Promise.promise();
        Future<HttpClientResponse> response = onClientContext(() -> client.request(options)
                .compose(request -> request.send())
                .onSuccess(answer -> answer.handler(chunk -> firstBytes.tryComplete())));
        Await.result(firstBytes.future());
        Await.result(onClientContext(() -> response.compose(answer -> answer.request().connection().close())));
    }

    private String storeAnswering(Consumer<HttpServerRequest> handler) {
        HttpServer server = Await.result(vertx.createHttpServer().requestHandler(handler::accept)
                .listen(0, "127.0.0.1"));
        return "http://127.0.0.1:" + server.actualPort() + "/bucket/x?X-Amz-Signature=s";
    }

    private AcceleratorConfig withHeaderTimeout(Duration headerTimeout) {
        return withTimeouts(headerTimeout, config.upstreamStallTimeout(), config.clientStallTimeout());
    }

    private static HeaderMap hitHeaders() {
        return HeaderMap.of(Map.of("Content-Type", List.of(MediaTypes.OCTET_STREAM),
                Headers.DOCKER_CONTENT_DIGEST, List.of(DIGEST), Headers.CACHE_STATUS, List.of("hit")));
    }
}
