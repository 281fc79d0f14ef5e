package io.depproxy.accelerator.inject;

import io.depproxy.accelerator.hot.HotFile;
import io.depproxy.accelerator.hot.HotTier;
import io.depproxy.accelerator.http.Exchange;
import io.depproxy.accelerator.http.FailureResponder;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.ByteRange;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Answers a send-url from the hot tier when it holds a verified copy of the object's digest: the file goes to the
 * socket with a zero-copy file send, {@code Range} included. Anything it cannot answer exactly as object storage
 * would (a HEAD, a conditional request) or a copy that changed since it was verified goes back to object storage.
 */
final class HotTierResponder {
    private static final List<String> CONDITIONAL = List.of("If-Match", "If-None-Match", "If-Modified-Since",
            "If-Unmodified-Since", "If-Range");

    private final HotTier hot;
    private final AcceleratorMetrics metrics;

    HotTierResponder(HotTier hot, AcceleratorMetrics metrics) {
        this.hot = hot;
        this.metrics = metrics;
    }

    /** Whether a copy may answer this request at all (else do not even look). */
    boolean applies(Exchange exchange, SendUrl sendUrl) {
        return hot.enabled() && sendUrl.digest() != null && sendUrl.method().equals("GET")
                && exchange.request().method() == HttpMethod.GET
                && CONDITIONAL.stream().noneMatch(name -> exchange.request().headers().contains(name));
    }

    /** Completes with true once it answered (or reset a broken send), false when object storage must answer. */
    Future<Boolean> serve(Exchange exchange, SendUrl sendUrl) {
        HotFile file = hot.find(sendUrl.digest()).orElse(null);
        if (file == null) {
            metrics.hotTier("miss");
            return Future.succeededFuture(false);
        }
        Context context = Vertx.currentContext();
        return context.executeBlocking(() -> openUnchanged(file), false).transform(ar -> {
            if (ar.failed()) {
                hot.discard(file, ar.cause().getMessage());
                metrics.hotTier("stale");
                return Future.succeededFuture(false);
            }
            metrics.hotTier("hit");
            return send(exchange, sendUrl, file, ar.result()).map(true);
        });
    }

    private static FileChannel openUnchanged(HotFile file) throws IOException {
        FileChannel channel = FileChannel.open(file.path(), StandardOpenOption.READ);
        try {
            if (channel.size() != file.size()
                    || Files.getLastModifiedTime(file.path()).toMillis() != file.lastModifiedMillis()) {
                throw new IOException("the file changed since it was verified");
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Future<Void> send(Exchange exchange, SendUrl sendUrl, HotFile file, FileChannel channel) {
        HttpServerResponse response = exchange.response();
        ByteRange range = ByteRange.single(exchange.request().headers().getAll("Range"))
                .map(spec -> spec.against(file.size())).orElseGet(ByteRange.Whole::new);
        ClientHeaders.override(response, sendUrl.responseHeaders());
        response.putHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        Future<Void> sent;
        if (range instanceof ByteRange.Unsatisfiable unsatisfiable) {
            response.headers().remove(HttpHeaders.CONTENT_TYPE);
            sent = response.setStatusCode(416).putHeader("Content-Range", unsatisfiable.contentRange(file.size()))
                    .putHeader(HttpHeaders.CONTENT_LENGTH, "0").end();
        } else if (range instanceof ByteRange.Part part) {
            response.setStatusCode(206).putHeader("Content-Range", part.contentRange(file.size()))
                    .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(part.length()));
            sent = response.sendFile(channel, part.first(), part.length());
        } else {
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(file.size()));
            sent = response.sendFile(channel, 0, file.size());
        }
        return sent.andThen(ar -> close(channel)).recover(err -> {
            FailureResponder.reset(exchange, "send-url: sending the hot-tier copy broke", err);
            return Future.succeededFuture();
        });
    }

    private static void close(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }
}
