package io.depproxy.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.depproxy.accelerator.support.MetricsScrape;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Undeploying (what SIGTERM does) drains: no new connections, in-flight streams finish, then it stops. */
class AcceleratorShutdownTest extends AcceleratorTestBase {

    @Test
    void letsASlowInFlightStreamCompleteWhileRefusingNewConnections() {
        Buffer bytes = randomBytes(64 * 1024, 3);
        String digest = digestOf(bytes);
        AtomicBoolean release = new AtomicBoolean();
        upstream.serve("/slow", FakeUpstream.slowBlob(vertx, bytes, 4096, 60, release::get));
        controlPlane.inject(blobPath(digest), blobMiss("/slow", digest, null));
        Future<ClientResponse> inFlight = send(port, HttpMethod.GET, blobPath(digest), null);
        Await.await("the stream is in flight").until(() -> shared.work().streams() == 1);

        Future<Void> stopped = undeployAll();
        release.set(true);
        Await.await("the listening socket is closed").until(() -> !accepts(port));
        assertThat(stopped.isComplete()).as("stopped before the stream ended").isFalse();

        ClientResponse response = Await.result(inFlight);
        assertThat(response.completed()).isTrue();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(bytes);
        Await.result(stopped);
        assertThat(shared.work().streams()).isZero();
    }

    @Test
    void waitsForADownloadStillBeingStoredAfterItsClientWasServed() {
        Promise<Void> commit = Promise.promise();
        controlPlane.holdFinalize(commit.future());
        Buffer bytes = randomBytes(64 * 1024, 4);
        String digest = digestOf(bytes);
        upstream.serve("/stored", FakeUpstream.blob(bytes));
        controlPlane.inject(blobPath(digest), blobMiss("/stored", digest, null));
        assertThat(get(blobPath(digest)).body()).isEqualTo(bytes);
        Await.await("the store to be finalizing").until(() -> controlPlane.finalizeCalls().size() == 1);

        Future<Void> stopped = undeployAll();
        Await.await("the listening socket is closed").until(() -> !accepts(port));
        assertThat(stopped.isComplete()).as("stopped while a download was being stored").isFalse();
        commit.complete();

        Await.result(stopped);
        assertThat(shared.work().uploads()).isZero();
        assertThat(shared.metrics().uploadFailures()).as("the store was cut short").isZero();
        assertThat(MetricsScrape.parse(shared.metrics().render()).value("accel_uploads_finalized_total")).isEqualTo(1);
    }

    private Future<Void> undeployAll() {
        List<Future<Void>> undeployed = vertx.deploymentIDs().stream().map(vertx::undeploy).toList();
        return Future.all(undeployed).mapEmpty();
    }

    private boolean accepts(int acceleratorPort) {
        return Await.result(vertx.createNetClient().connect(acceleratorPort, "127.0.0.1")
                .transform(ar -> {
                    if (ar.succeeded()) {
                        ar.result().close();
                    }
                    return Future.succeededFuture(ar.succeeded());
                }));
    }
}
