package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.hot.HotFill;
import io.depproxy.accelerator.hot.HotTier;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.stream.BoundedCopy;
import io.depproxy.accelerator.stream.ByteRange;
import io.depproxy.accelerator.stream.ResettingPipe;
import io.depproxy.accelerator.stream.TeeWriteStream;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.senddata.SendDataCodec;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * send-url: serves a stored object from the hot tier when it holds a verified copy of the send-url's {@code Digest},
 * otherwise from its presigned URL (one valid Range and conditional requests pass through; a whole object read also fills the
 * hot tier), or answers 307 to it. A storage 404 of a send-url that says where to report it heals
 * ({@link MissingObjects}); otherwise storage 403/404 becomes the registry's BLOB_UNKNOWN/MANIFEST_UNKNOWN, anything
 * else unexpected 503.
 */
public final class SendUrlInjector implements Injector<SendUrl> {
    private static final List<String> CONDITIONAL_HEADERS = List.of("If-Match", "If-None-Match",
            "If-Modified-Since", "If-Unmodified-Since", "If-Range");
    private static final List<String> STORAGE_HEADERS = List.of("Content-Length", "Content-Range", "Accept-Ranges",
            "ETag", "Last-Modified");
    private static final Set<Integer> RELAYED = Set.of(200, 206, 304, 416);

    private final HttpClient storage;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final HotTier hot;
    private final HotTierResponder hotResponder;
    private final MissingObjects missing;

    public SendUrlInjector(HttpClient storage, Duration connectTimeout, Duration idleTimeout, HotTier hot,
                           AcceleratorMetrics metrics, MissingObjects missing) {
        this.storage = storage;
        this.missing = missing;
        this.connectTimeout = connectTimeout;
        this.idleTimeout = idleTimeout;
        this.hot = hot;
        this.hotResponder = new HotTierResponder(hot, metrics);
    }

    @Override
    public String name() {
        return SendDataCodec.SEND_URL;
    }

    @Override
    public Future<Void> inject(Exchange exchange, SendUrl sendUrl) {
        if (sendUrl.redirect()) {
            return redirect(exchange, sendUrl);
        }
        if (hotResponder.applies(exchange, sendUrl)) {
            return hotResponder.serve(exchange, sendUrl)
                    .compose(served -> served ? Future.succeededFuture() : fromStorage(exchange, sendUrl, true));
        }
        return fromStorage(exchange, sendUrl, false);
    }

    private Future<Void> fromStorage(Exchange exchange, SendUrl sendUrl, boolean mayFill) {
        return storage.request(options(exchange, sendUrl))
                .compose(request -> {
                    // a client that leaves before storage answered would otherwise hold the GET until it does
                    exchange.onClientGone(v -> request.reset());
                    return request.send();
                })
                .map(HttpClientResponse::pause)
                .transform(ar -> ar.succeeded() ? relay(exchange, sendUrl, ar.result(), mayFill)
                        : unavailable(exchange, ar.cause()));
    }

    private Future<Void> redirect(Exchange exchange, SendUrl sendUrl) {
        HttpServerResponse response = exchange.response().setStatusCode(307);
        ClientHeaders.override(response, sendUrl.responseHeaders());
        response.putHeader(HttpHeaders.LOCATION, sendUrl.url()).putHeader(HttpHeaders.CONTENT_LENGTH, "0");
        return response.end();
    }

    private RequestOptions options(Exchange exchange, SendUrl sendUrl) {
        boolean head = exchange.request().method() == HttpMethod.HEAD || sendUrl.method().equals("HEAD");
        RequestOptions options = new RequestOptions()
                .setMethod(head ? HttpMethod.HEAD : HttpMethod.GET)
                .setAbsoluteURI(sendUrl.url())
                .setFollowRedirects(sendUrl.allowRedirects())
                .setConnectTimeout(connectTimeout.toMillis())
                .setIdleTimeout(idleTimeout.toMillis());
        sendUrl.header().asMap().forEach((name, values) -> values.forEach(value -> options.addHeader(name, value)));
        for (String name : CONDITIONAL_HEADERS) {
            exchange.request().headers().getAll(name).forEach(value -> options.addHeader(name, value));
        }
        rangeForStorage(exchange).ifPresent(range -> options.addHeader("Range", range));
        return options;
    }

    /**
     * Only one well-formed range goes to object storage, in its plain form; anything else is ignored, as the hot
     * tier ignores it (200, the whole object), so both answer a header alike whatever a given store would make
     * of it (MinIO answers {@code bytes=5-2} with 416, the hot tier and RFC 9110 with 200).
     */
    private static Optional<String> rangeForStorage(Exchange exchange) {
        return ByteRange.single(exchange.request().headers().getAll("Range")).map(ByteRange.Spec::header);
    }

    private Future<Void> relay(Exchange exchange, SendUrl sendUrl, HttpClientResponse stored, boolean mayFill) {
        int status = stored.statusCode();
        if (!RELAYED.contains(status)) {
            BoundedBody.discard(stored);
            if (status == 404 && MissingObjects.heals(sendUrl)) {
                return missing.gone(exchange, sendUrl);
            }
            return status == 403 || status == 404 ? notFound(exchange) : unavailable(exchange, null);
        }
        HttpServerResponse response = exchange.response();
        if (status == 304 || status == 416 || exchange.request().method() == HttpMethod.HEAD) {
            BoundedBody.discard(stored);
            response.setStatusCode(status).headers().addAll(ClientHeaders.select(stored.headers(), STORAGE_HEADERS));
            ClientHeaders.override(response, sendUrl.responseHeaders());
            if (status != 200 && status != 206) {
                response.headers().remove(HttpHeaders.CONTENT_LENGTH);
            }
            return response.end();
        }
        ClientHeaders.writeHead(response, status, ClientHeaders.select(stored.headers(), STORAGE_HEADERS),
                sendUrl.responseHeaders());
        long length = status == 200 && mayFill && rangeForStorage(exchange).isEmpty()
                ? ContentLength.of(stored.headers()) : -1;
        Future<HotFill> fill = length >= 0
                ? hot.startFill(Vertx.currentContext(), sendUrl.digest(), length) : Future.succeededFuture();
        return fill.compose(copy -> stream(exchange, stored, copy));
    }

    /** Streams the stored body to the client and, when {@code copy} is not null, into the hot tier. */
    private static Future<Void> stream(Exchange exchange, HttpClientResponse stored, HotFill copy) {
        HttpServerResponse response = exchange.response();
        Future<Void> sent = copy == null ? ResettingPipe.toResponse(stored, response)
                : ResettingPipe.endOrReset(BoundedCopy.copy(stored, new TeeWriteStream(response, copy)),
                        response);
        return sent.andThen(ar -> {
            if (copy != null && ar.succeeded()) {
                copy.complete();
            } else if (copy != null) {
                copy.abandon();
            }
        }).onFailure(err -> {
            stored.request().reset();
            FailureResponder.reset(exchange, "send-url: stream from storage broke", err);
        });
    }

    private static Future<Void> notFound(Exchange exchange) {
        boolean manifest = exchange.request().path().contains("/manifests/");
        FailureResponder.respond(exchange, 404,
                manifest ? RegistryErrorCode.MANIFEST_UNKNOWN : RegistryErrorCode.BLOB_UNKNOWN,
                manifest ? "manifest unknown" : "blob unknown to registry", null);
        return Future.succeededFuture();
    }

    private static Future<Void> unavailable(Exchange exchange, Throwable cause) {
        FailureResponder.respond(exchange, 503, RegistryErrorCode.UNAVAILABLE, "storage unavailable", cause);
        return Future.succeededFuture();
    }
}
