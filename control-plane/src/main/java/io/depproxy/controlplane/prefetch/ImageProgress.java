package io.depproxy.controlplane.prefetch;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One image of a prefetch job: where it stands, how many bytes of its blobs are in the cache, what went wrong. */
public record ImageProgress(String reference, String status, int manifests, int blobs,
                            @JsonProperty("bytes_done") long bytesDone, @JsonProperty("bytes_total") long bytesTotal,
                            String error) {
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String DONE = "done";
    public static final String FAILED = "failed";

    static ImageProgress pending(String reference) {
        return new ImageProgress(reference, PENDING, 0, 0, 0, 0, null);
    }

    ImageProgress resolved(int manifests, int blobs, long bytesTotal) {
        return new ImageProgress(reference, RUNNING, manifests, blobs, 0, bytesTotal, null);
    }

    ImageProgress advanced(long bytes) {
        return new ImageProgress(reference, status, manifests, blobs, bytesDone + bytes, bytesTotal, null);
    }

    ImageProgress done() {
        return new ImageProgress(reference, DONE, manifests, blobs, bytesDone, bytesTotal, null);
    }

    ImageProgress failed(String why) {
        return new ImageProgress(reference, FAILED, manifests, blobs, bytesDone, bytesTotal, why);
    }
}
