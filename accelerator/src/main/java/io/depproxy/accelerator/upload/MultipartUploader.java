package io.depproxy.accelerator.upload;

import io.depproxy.accelerator.stream.spool.SpoolEntry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.depproxy.contracts.upload.MultipartUpload;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stores a download of unknown length as a presigned multipart upload: each {@code PartSize} slice is PUT once the
 * spool holds all of it (so each part has a Content-Length), then the parts are completed; any failure aborts.
 */
public final class MultipartUploader {
    private final ObjectStoreClient store;

    public MultipartUploader(ObjectStoreClient store) {
        this.store = store;
    }

    public Future<Void> upload(Context context, MultipartUpload multipart, SpoolEntry entry, long maximumSize) {
        List<String> etags = new ArrayList<>();
        return uploadFrom(context, multipart, entry, maximumSize, 0, etags)
                .compose(v -> complete(multipart, etags))
                .recover(err -> abort(multipart).transform(ar -> Future.failedFuture(err)));
    }

    private Future<Void> uploadFrom(Context context, MultipartUpload multipart, SpoolEntry entry, long maximumSize,
                                    int index, List<String> etags) {
        long start = index * multipart.partSize();
        long end = start + multipart.partSize();
        return entry.awaitWritten(context, end).compose(progress -> {
            boolean lastPart = progress.verified() && progress.written() <= end;
            long length = lastPart ? progress.written() - start : multipart.partSize();
            if (lastPart && length == 0 && index > 0) {
                return Future.succeededFuture();
            }
            if (index >= multipart.partUrls().size() || start + length > maximumSize) {
                return Future.failedFuture(new UploadFailure("send-dependency: upload exceeds the authorized size"));
            }
            return store.put(multipart.partUrls().get(index), entry, start, length).compose(etag -> {
                etags.add(etag);
                return lastPart ? Future.succeededFuture()
                        : uploadFrom(context, multipart, entry, maximumSize, index + 1, etags);
            });
        });
    }

    private Future<Void> complete(MultipartUpload multipart, List<String> etags) {
        return store.post(multipart.completeUrl(), "application/xml", completeDocument(etags))
                .compose(MultipartUploader::requireNoError);
    }

    private Future<Void> abort(MultipartUpload multipart) {
        return multipart.abortUrl() == null ? Future.succeededFuture() : store.delete(multipart.abortUrl());
    }

    static String completeDocument(List<String> etags) {
        StringBuilder xml = new StringBuilder("<CompleteMultipartUpload>");
        for (int i = 0; i < etags.size(); i++) {
            String etag = etags.get(i).startsWith("\"") ? etags.get(i) : "\"" + etags.get(i) + "\"";
            xml.append("<Part><PartNumber>").append(i + 1).append("</PartNumber><ETag>")
                    .append(etag.replace("&", "&amp;").replace("<", "&lt;")).append("</ETag></Part>");
        }
        return xml.append("</CompleteMultipartUpload>").toString();
    }

    /** S3 may answer 200 to CompleteMultipartUpload and still report an error in the body. */
    private static Future<Void> requireNoError(Optional<Buffer> answer) {
        boolean failed = answer.map(Buffer::toString).map(text -> text.contains("<Error>")).orElse(false);
        return failed ? Future.failedFuture(new UploadFailure("send-dependency: multipart complete reported an error"))
                : Future.succeededFuture();
    }
}
