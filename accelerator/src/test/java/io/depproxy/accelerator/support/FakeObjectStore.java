package io.depproxy.accelerator.support;

import io.depproxy.contracts.upload.MultipartUpload;
import io.depproxy.contracts.upload.RemoteObject;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A loopback object store speaking the presigned subset the accelerator uses: PUT an object or a part, POST the
 * multipart completion, DELETE, and GET with Range. It keeps objects in memory and records every request.
 */
public final class FakeObjectStore {
    public static final long PART_SIZE = 5L * 1024 * 1024;
    private static final Pattern SINGLE_RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");
    private static final Pattern PART_NUMBER = Pattern.compile("<PartNumber>(\\d+)</PartNumber>");

    private final Map<String, Buffer> objects = new ConcurrentHashMap<>();
    private final Map<String, Buffer> parts = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger putConnectionsToDrop = new AtomicInteger();
    private HttpServer server;

    public static FakeObjectStore start(Vertx vertx) {
        FakeObjectStore store = new FakeObjectStore();
        store.server = Await.result(vertx.createHttpServer().requestHandler(store::handle).listen(0, "127.0.0.1"));
        return store;
    }

    public String url(String key, String query) {
        return "http://127.0.0.1:" + server.actualPort() + "/bucket/" + key + (query == null ? "" : "?" + query);
    }

    /** A temporary object as the control plane would authorize it; {@code multipart} adds presigned part URLs. */
    public RemoteObject remoteObject(String id, boolean multipart) {
        String key = "tmp/uploads/" + id;
        MultipartUpload upload = multipart ? new MultipartUpload(PART_SIZE,
                IntStream.rangeClosed(1, 4).mapToObj(n -> url(key, "partNumber=" + n + "&uploadId=u1&X-Amz-Signature=p"))
                        .toList(),
                url(key, "uploadId=u1&X-Amz-Signature=c"), url(key, "uploadId=u1&X-Amz-Signature=a")) : null;
        return new RemoteObject(id, url(key, "X-Amz-Signature=get"), multipart ? null : url(key, "X-Amz-Signature=put"),
                url(key, "X-Amz-Signature=delete"), 14400, upload);
    }

    public void put(String key, Buffer bytes) {
        objects.put(key, bytes);
    }

    public Buffer object(String key) {
        return objects.get(key);
    }

    public List<RecordedRequest> requests(String method) {
        return requests.stream().filter(r -> r.method().equals(method)).toList();
    }

    /**
     * The next {@code count} PUTs lose their connection as soon as their head arrived, as a pooled connection the
     * store closes for idleness just when the client sends on it (recorded without a body).
     */
    public void dropNextPutConnections(int count) {
        putConnectionsToDrop.set(count);
    }

    private void handle(HttpServerRequest request) {
        if (request.method().name().equals("PUT")
                && putConnectionsToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            requests.add(RecordedRequest.of(request, null));
            request.connection().close();
            return;
        }
        String key = request.path().substring("/bucket/".length());
        request.body().onComplete(ar -> {
            requests.add(RecordedRequest.of(request, ar.succeeded() ? ar.result() : null));
            if (ar.succeeded()) {
                answer(request, key, ar.result());
            }
        });
    }

    private void answer(HttpServerRequest request, String key, Buffer body) {
        String partNumber = request.getParam("partNumber");
        switch (request.method().name()) {
            case "PUT" -> {
                if (partNumber != null) {
                    parts.put(key + "#" + partNumber, body);
                } else {
                    objects.put(key, body);
                }
                request.response().putHeader("ETag", "\"etag-" + (partNumber == null ? "0" : partNumber) + "\"").end();
            }
            case "POST" -> complete(request, key, body.toString());
            case "DELETE" -> request.response().setStatusCode(204).end();
            case "GET", "HEAD" -> serve(request, objects.get(key));
            default -> request.response().setStatusCode(405).end();
        }
    }

    private void complete(HttpServerRequest request, String key, String xml) {
        Buffer assembled = Buffer.buffer();
        Matcher m = PART_NUMBER.matcher(xml);
        while (m.find()) {
            assembled.appendBuffer(parts.get(key + "#" + m.group(1)));
        }
        objects.put(key, assembled);
        request.response().putHeader("Content-Type", "application/xml")
                .end("<CompleteMultipartUploadResult><Key>" + key + "</Key></CompleteMultipartUploadResult>");
    }

    private static void serve(HttpServerRequest request, Buffer object) {
        if (object == null) {
            request.response().setStatusCode(404).putHeader("Content-Type", "application/xml")
                    .end("<Error><Code>NoSuchKey</Code></Error>");
            return;
        }
        String range = request.getHeader("Range");
        var response = request.response().putHeader("ETag", "\"stored\"").putHeader("Accept-Ranges", "bytes")
                .putHeader("Content-Type", "binary/octet-stream");
        if (range == null) {
            response.end(object);
            return;
        }
        long[] bounds = rangeOf(range, object.length());
        if (bounds == null) {
            response.end(object);
        } else if (bounds.length == 0) {
            response.setStatusCode(416).putHeader("Content-Range", "bytes */" + object.length()).end();
        } else {
            response.setStatusCode(206)
                    .putHeader("Content-Range", "bytes " + bounds[0] + "-" + bounds[1] + "/" + object.length())
                    .end(object.slice((int) bounds[0], (int) bounds[1] + 1));
        }
    }

    /**
     * As MinIO reads a Range: null (serve it all) for what it cannot parse, several ranges included; an empty
     * array (416) for what it parses but cannot satisfy, {@code last < first} included; else first and last.
     */
    private static long[] rangeOf(String header, long size) {
        Matcher m = SINGLE_RANGE.matcher(header);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                return suffix == 0 ? new long[0] : new long[] {Math.max(0, size - suffix), size - 1};
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
            return first >= size || last < first ? new long[0] : new long[] {first, Math.min(last, size - 1)};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
