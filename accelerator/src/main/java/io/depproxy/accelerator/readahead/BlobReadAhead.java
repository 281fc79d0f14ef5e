package io.depproxy.accelerator.readahead;

import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.inject.DependencyFetch;
import io.depproxy.accelerator.inject.ManifestObserver;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.proxy.ControlPlaneRequests;
import io.depproxy.accelerator.proxy.SendDataInterceptor;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.Injection;
import io.depproxy.contracts.senddata.MalformedInjectionException;
import io.depproxy.contracts.senddata.SendDependency;
import io.depproxy.contracts.senddata.SendPeer;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once an image manifest was downloaded from the upstream, its blobs are asked for ahead of the client: a client
 * (skopeo, containerd, docker) fetches them only after the manifest, and most fetch them one or a few at a time, so a
 * cold image would otherwise cost one control-plane decision and one upstream round trip per blob in a row, with the
 * link idle in between. The blobs (config first, then the layers in order, within {@code DP_READ_AHEAD_MAX_BYTES} of
 * declared sizes, none larger than {@link DependencyFetch#ABANDON_REMAINING_BYTES}) are downloaded one after the
 * other, in the order clients read them, the next one asked for once the one before has at most
 * {@value #NEXT_WHEN_BYTES_LEFT} bytes to go: the link carries the blob a client waits for at its full speed, and
 * the next one's decision and request overlap the end of the previous one.
 * For each blob the control plane is asked exactly as the client
 * would ask it (same path grammar, credentials and request id: the same access and pull-policy decision, counted
 * apart as the read-ahead's); a
 * send-dependency answer starts the download with no client, stored as any miss, and the client's own request for
 * the blob joins it (the same coalesce key; across replicas, the same fetch lease). A cached blob, another replica's
 * download or a refusal ends it there: the client's own request gets the answer it would have got.
 */
public final class BlobReadAhead implements ManifestObserver {
    /**
     * How close to its end a download is when the next blob is asked for: what a 1 Gbit/s link carries while the
     * control plane decides and the upstream answers, on a busy 2-core machine up to 16 ms. Measured over such a link
     * with skopeo (10 layers of 3 MiB, fetched one after the other; medians of 14 pulls in one run): three downloads
     * at once as before left the first layer, which shared the link with two others, 78 ms after the manifest
     * (1.12x direct); one at a time with 2 MiB to go 53 ms, the later layers ready before skopeo asked (1.08x);
     * 1 MiB or 512 KiB often left the link idle before the next one (1.14x, 1.17x).
     */
    static final long NEXT_WHEN_BYTES_LEFT = 2 * 1024 * 1024;
    private static final String MANIFESTS = "/manifests/";
    private static final Logger LOG = LoggerFactory.getLogger(BlobReadAhead.class);

    private final Vertx vertx;
    private final HttpClient controlPlane;
    private final ControlPlaneRequests requests;
    private final long maxBytes;
    private final AcceleratorMetrics metrics;

    public BlobReadAhead(Vertx vertx, HttpClient controlPlane, ControlPlaneRequests requests, long maxBytes,
                         AcceleratorMetrics metrics) {
        this.vertx = vertx;
        this.controlPlane = controlPlane;
        this.requests = requests;
        this.maxBytes = maxBytes;
        this.metrics = metrics;
    }

    @Override
    public void verified(Exchange exchange, Buffer manifest, DetachedFetches fetches) {
        String path = exchange.request().path();
        int at = path.lastIndexOf(MANIFESTS);
        if (exchange.request().method() != HttpMethod.GET || at < 0) {
            return;
        }
        String query = exchange.request().query();
        String blobsPrefix = path.substring(0, at) + "/blobs/";
        // a manifest may be megabytes of JSON: parsed off the event loop
        vertx.executeBlocking(() -> chosen(manifest.getBytes()), false).onSuccess(blobs -> {
            Image image = new Image(exchange, blobsPrefix, query == null ? "" : "?" + query,
                    new ConcurrentLinkedQueue<>(blobs), fetches);
            next(image);
        });
    }

    /**
     * The blobs to read ahead, in order. One larger than a client-less download is finished for is left to the
     * client: a manifest is the upstream's word, and one request must not make this replica fetch more than it would
     * for a vanished client.
     */
    private List<ManifestBlobs.Blob> chosen(byte[] manifest) {
        return ManifestBlobs.within(ManifestBlobs.of(manifest).stream()
                .filter(blob -> blob.size() <= DependencyFetch.ABANDON_REMAINING_BYTES).toList(), maxBytes);
    }

    /** One image's read-ahead: the blobs still to ask for, in order. */
    private record Image(Exchange exchange, String blobsPrefix, String query, Queue<ManifestBlobs.Blob> blobs,
                         DetachedFetches fetches) {
    }

    private void next(Image image) {
        ManifestBlobs.Blob blob = image.blobs().poll();
        if (blob != null) {
            ask(image, blob).onComplete(ar -> next(image));
        }
    }

    /**
     * Completes when the next blob may be asked for: this one's download has at most {@link #NEXT_WHEN_BYTES_LEFT}
     * to go or ended, or there was none to start.
     */
    private Future<Void> ask(Image image, ManifestBlobs.Blob blob) {
        String uri = image.blobsPrefix() + blob.digest() + image.query();
        return controlPlane.request(requests.readAheadFor(image.exchange(), uri))
                .compose(HttpClientRequest::send)
                .compose(answer -> answer.end().map(v -> answer))
                .compose(answer -> act(image, blob, uri, answer))
                .recover(err -> {
                    metrics.readAhead("failed");
                    LOG.atDebug().addKeyValue("request_id", image.exchange().requestId())
                            .log("read-ahead of {} not asked for: {}", blob.digest(), err.toString());
                    return Future.succeededFuture();
                });
    }

    /** How long the control plane lets the client's own GET take the download on this decision; zero: not. */
    private static Duration reusableFor(HttpClientResponse answer) {
        try {
            String millis = answer.getHeader(Headers.READ_AHEAD_REUSE);
            return millis == null ? Duration.ZERO : Duration.ofMillis(Math.max(0, Long.parseLong(millis)));
        } catch (NumberFormatException e) {
            return Duration.ZERO;
        }
    }

    private Future<Void> act(Image image, ManifestBlobs.Blob blob, String uri, HttpClientResponse answer) {
        Injection injection;
        try {
            injection = SendDataInterceptor.injectionOf(answer).orElse(null);
        } catch (MalformedInjectionException e) {
            injection = null;
        }
        if (injection == null) {
            metrics.readAhead("refused");
            return Future.succeededFuture();
        }
        if (injection instanceof SendDependency dependency && blob.digest().equals(dependency.digest())) {
            metrics.readAhead("fetched");
            ManifestObserver.AnsweredFor answeredFor = new ManifestObserver.AnsweredFor(
                    image.exchange().request().getHeader(HttpHeaders.AUTHORIZATION), uri, reusableFor(answer));
            return image.fetches().start(dependency, image.exchange().requestId(), answeredFor, NEXT_WHEN_BYTES_LEFT);
        }
        metrics.readAhead(injection instanceof SendUrl ? "cached" : injection instanceof SendPeer ? "peer" : "refused");
        return Future.succeededFuture();
    }
}
