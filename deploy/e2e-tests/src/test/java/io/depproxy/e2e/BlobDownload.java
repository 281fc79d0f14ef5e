package io.depproxy.e2e;

import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One GET as a registry client does it, recording what the client ends up with: the status, every byte that
 * arrived (counted while it runs, so a test can act mid-transfer), their sha256, and how the transfer ended.
 */
final class BlobDownload implements Callable<BlobDownload.Outcome> {
    /** {@code failure}: why the body could not be read to its end (null when it could); {@code body}: error text. */
    record Outcome(int status, long bytes, String sha256, String failure, String body, Duration took) {
        /** A clean 200 whose body is exactly {@code size} bytes hashing to {@code digest}. */
        boolean isExactly(String digest, long size) {
            return status == 200 && failure == null && bytes == size && digest.equals(sha256);
        }

        @Override
        public String toString() {
            return "status " + status + ", " + bytes + " bytes, " + sha256 + ", failure " + failure + ", took "
                    + took.toMillis() + " ms" + (body.isEmpty() ? "" : ", body " + body);
        }
    }

    private final RegistryHttp registry;
    private final String path;
    private final AtomicLong received = new AtomicLong();

    BlobDownload(RegistryHttp registry, String path) {
        this.registry = registry;
        this.path = path;
    }

    /** Bytes of the body received so far. */
    long received() {
        return received.get();
    }

    @Override
    public Outcome call() throws IOException, InterruptedException {
        long start = System.nanoTime();
        HttpResponse<InputStream> response = registry.get(path, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            String body;
            try (InputStream in = response.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            return new Outcome(response.statusCode(), 0, null, null, body, Duration.ofNanos(System.nanoTime() - start));
        }
        MessageDigest sha = Digests.newSha256();
        String failure = null;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
                received.addAndGet(n);
            }
        } catch (IOException e) {
            failure = e.toString();
        }
        return new Outcome(200, received.get(), "sha256:" + HexFormat.of().formatHex(sha.digest()), failure, "",
                Duration.ofNanos(System.nanoTime() - start));
    }
}
