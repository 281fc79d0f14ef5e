package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The idle timeout closes a connection silent both ways, and only that: a download that keeps moving, however slowly,
 * runs for many idle periods and arrives whole.
 */
class IdleTimeoutTest extends EdgeLimitTestBase {
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration MARGIN = Duration.ofSeconds(2);
    /**
     * Longer for the download: the connection is silent while the accelerator asks the control plane and opens the
     * stored object, which on a loaded 2-core machine can take a second.
     */
    private static final Duration DOWNLOAD_IDLE = Duration.ofSeconds(2);

    @Test
    void aConnectionSilentBothWaysIsClosed() throws Exception {
        int edge = startWith(settings(Duration.ofSeconds(30), Duration.ofSeconds(30), IDLE, 0, 256));

        try (Socket socket = new Socket("127.0.0.1", edge)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /jwt/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n"
                    + "grant_type").getBytes(StandardCharsets.ISO_8859_1));
            long silentSince = System.nanoTime();

            int next = socket.getInputStream().read();
            Duration open = Duration.ofNanos(System.nanoTime() - silentSince);

            assertThat(next).as("end of stream").isEqualTo(-1);
            assertThat(open).isBetween(IDLE, IDLE.plus(MARGIN));
        }
    }

    @Test
    void aSlowButMovingDownloadIsNotCut() throws Exception {
        int edge = startWith(settings(Duration.ofSeconds(30), Duration.ofSeconds(30), DOWNLOAD_IDLE, 0, 256));
        // more than the kernel's socket buffers hold (4 MiB at most here), so the accelerator writes until the end
        Buffer large = randomBytes(8 * 1024 * 1024 + 3, 55);
        String digest = digestOf(large);
        store.put("dependency_proxy/1/blobs/sha256/large", large);
        controlPlane.inject(blobPath(digest), SendUrl.proxy(store.url("dependency_proxy/1/blobs/sha256/large",
                "X-Amz-Signature=get"), HeaderMap.single(Headers.DOCKER_CONTENT_DIGEST, digest), digest));

        long start = System.nanoTime();
        byte[] answer = slowGet(edge, blobPath(digest));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        String text = new String(answer, 0, Math.min(answer.length, 512), StandardCharsets.ISO_8859_1);
        int bodyStart = text.indexOf("\r\n\r\n") + 4;
        assertThat(text).startsWith("HTTP/1.1 200 ");
        assertThat(answer.length - bodyStart).isEqualTo(large.length());
        assertThat(digestOf(Buffer.buffer(answer).slice(bodyStart, answer.length))).isEqualTo(digest);
        assertThat(took).as("the download outlasted several idle periods").isGreaterThan(DOWNLOAD_IDLE.multipliedBy(3));
    }

    /** Reads the whole answer at 1.25 MiB/s at most through a small receive window; the connection closes after it. */
    private static byte[] slowGet(int port, String path) throws Exception {
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(32 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] chunk = new byte[32 * 1024];
            for (int read = in.read(chunk); read >= 0; read = in.read(chunk)) {
                received.write(chunk, 0, read);
                Thread.sleep(25); // the client's slowness is what is tested (not a wait for an event)
            }
            return received.toByteArray();
        }
    }
}
