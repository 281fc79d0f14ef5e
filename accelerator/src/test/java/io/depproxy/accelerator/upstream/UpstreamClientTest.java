package io.depproxy.accelerator.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.depproxy.contracts.senddata.HeaderMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class UpstreamClientTest {
    private Vertx vertx;
    private Context context;
    private FakeUpstream upstream;
    private UpstreamClient client;
    private final Promise<Void> connectionClosed = Promise.promise();

    @BeforeEach
    void start() {
        vertx = Vertx.vertx();
        context = vertx.getOrCreateContext();
        upstream = FakeUpstream.start(vertx);
        OutboundGuard guard = new OutboundGuard(vertx, new OutboundPolicy(AllowList.NONE, OwnServices.NONE,
                Resolver.SYSTEM));
        client = new UpstreamClient(vertx.httpClientBuilder()
                .withConnectHandler(connection -> connection.closeHandler(v -> connectionClosed.tryComplete())).build(),
                guard, Duration.ofSeconds(2), Duration.ofSeconds(20),
                new AcceleratorMetrics());
    }

    @AfterEach
    void stop() {
        Await.result(vertx.close());
    }

    @Test
    void keepsAFailureThatArrivesBeforeTheBodyIsRead() {
        upstream.serve("/blob", FakeUpstream.dropsConnection(vertx, Buffer.buffer("0123456789"), 4096, () -> true));
        UpstreamResponse response = Await.onContext(context,
                () -> client.get(upstream.url("/blob"), HeaderMap.empty(), "r1"));
        Await.result(connectionClosed.future()); // the broken connection reached the client, on the answer's context

        Promise<Optional<Buffer>> body = Promise.promise();
        context.runOnContext(v -> BoundedBody.read(response).onComplete(body));

        Throwable failure = Await.result(body.future().transform(ar -> Future.succeededFuture(ar.cause())),
                Duration.ofSeconds(5));
        assertThat(failure).isNotNull();
    }

    @Test
    void deliversTheWholeBodyOnlyOnceRead() {
        Buffer bytes = Buffer.buffer("the whole body");
        Promise<Void> sent = Promise.promise();
        upstream.serve("/blob", request -> {
            request.response().bodyEndHandler(v -> sent.complete());
            FakeUpstream.blob(bytes).handle(request);
        });
        UpstreamResponse response = Await.onContext(context,
                () -> client.get(upstream.url("/blob"), HeaderMap.empty(), "r2"));
        Await.result(sent.future()); // the whole body is on its way while nobody reads it

        Promise<Optional<Buffer>> body = Promise.promise();
        context.runOnContext(v -> BoundedBody.read(response).onComplete(body));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(Await.result(body.future())).contains(bytes);
    }

    /**
     * The request goes to the address the policy checked, not to a second lookup of the name (which the system
     * resolver could not answer here), and the Host header still names the URL's host.
     */
    @Test
    void connectsToTheCheckedAddressWithTheUrlsHost() {
        Buffer bytes = Buffer.buffer("pinned");
        upstream.serve("/blob", FakeUpstream.blob(bytes));
        Resolver onlyThePolicyKnowsIt = host -> List.of(InetAddress.getLoopbackAddress());
        UpstreamClient pinned = new UpstreamClient(vertx.createHttpClient(), new OutboundGuard(vertx,
                new OutboundPolicy(AllowList.NONE, OwnServices.NONE, onlyThePolicyKnowsIt)), Duration.ofSeconds(2),
                Duration.ofSeconds(20), new AcceleratorMetrics());
        String authority = "registry.pinned.invalid:" + URI.create(upstream.url("/")).getPort();

        UpstreamResponse response = Await.onContext(context,
                () -> pinned.get("http://" + authority + "/blob", HeaderMap.empty(), "r3"));
        Promise<Optional<Buffer>> body = Promise.promise();
        context.runOnContext(v -> BoundedBody.read(response).onComplete(body));

        assertThat(Await.result(body.future())).contains(bytes);
        assertThat(upstream.requests("/blob").get(0).header("Host")).isEqualTo(authority);
    }
}
