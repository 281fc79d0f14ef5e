package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A slow control plane with every pooled connection busy: a few requests may wait for one, the next is answered 503
 * at once instead of joining an endless queue.
 */
class BackendQueueTest extends EdgeLimitTestBase {
    /** The accelerator's control-plane pool per event loop (one verticle here). */
    private static final int POOL = 256;
    private static final int WAITERS = 2;

    @Test
    void aFullWaitQueueAnswers503AtOnce() {
        Promise<Void> slowAnswers = Promise.promise();
        controlPlane.answer("/v2/slow", request -> slowAnswers.future().onComplete(v -> request.response().end("{}")));
        // the wait for a pooled connection is bounded by the connect timeout: long here, so only the queue is fast
        int edge = startWith(withConnectTimeout(Duration.ofSeconds(20)),
                settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60), 0, WAITERS));
        HttpClient many = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(POOL + 10));

        List<Future<Integer>> held = new ArrayList<>();
        IntStream.range(0, POOL).forEach(i -> held.add(slowGet(many, edge)));
        Await.await("every pooled connection to be busy").until(() -> controlPlane.headsSeen("/v2/slow") == POOL);
        IntStream.range(0, WAITERS).forEach(i -> held.add(slowGet(many, edge)));
        Await.await("the waiters to queue").until(() -> shared.work().streams() == POOL + WAITERS);

        long start = System.nanoTime();
        ClientResponse refused = Await.result(send(edge, HttpMethod.GET, "/v2/slow", null), Duration.ofSeconds(20));
        Duration answeredIn = Duration.ofNanos(System.nanoTime() - start);

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
        assertThat(answeredIn).isLessThan(Duration.ofSeconds(1));
        assertThat(refusals(AcceleratorMetrics.REFUSED_QUEUE_FULL)).isEqualTo(1);

        slowAnswers.complete();
        assertThat(held).allSatisfy(status -> assertThat(Await.result(status)).isEqualTo(200));
        assertThat(controlPlane.headsSeen("/v2/slow")).isEqualTo(POOL + WAITERS);
    }

    private Future<Integer> slowGet(HttpClient many, int edge) {
        RequestOptions options = new RequestOptions().setHost("127.0.0.1").setPort(edge).setURI("/v2/slow")
                .setIdleTimeout(60_000);
        return onClientContext(() -> many.request(options).compose(request -> request.send())
                .compose(response -> response.body().map(body -> response.statusCode())));
    }

    private AcceleratorConfig withConnectTimeout(Duration connect) {
        return config.toBuilder().upstreamConnectTimeout(connect).build();
    }
}
