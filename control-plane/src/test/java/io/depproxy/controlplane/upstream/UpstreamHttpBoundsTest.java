package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream bodies are read as they stream and never past their cap: an upstream that sends a chunked body without
 * end sees the connection closed soon after the cap, and has sent only what the sockets' buffers hold beyond it
 * (so the proxy never held more than the cap in memory), where a read of the whole body would have taken all of it.
 */
class UpstreamHttpBoundsTest {
    /** What the "endless" body would be if nobody stopped reading: far more than any cap or socket buffer. */
    private static final long WHOLE_BODY = 512L << 20;
    private static final long SOCKET_BUFFERS = 32L << 20;

    private final EndlessChunkedServer server = new EndlessChunkedServer();
    private final UpstreamHttp http = new UpstreamHttp(new OutboundDestinations(new OutboundPolicy(AllowList.NONE,
            OwnServices.NONE, Resolver.SYSTEM)));

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void aStrictReadStopsAtTheCapAndClosesTheConnection() throws InterruptedException {
        int cap = 1 << 20;

        assertThatThrownBy(() -> http.get(server.origin(), server.uri(), Map.of(), cap))
                .isInstanceOf(UpstreamException.class).hasMessageContaining("answered more than " + cap + " bytes");

        assertThat(server.ended.await(10, TimeUnit.SECONDS)).as("the server saw its writes end").isTrue();
        assertThat(server.closedByPeer).as("the proxy closed the connection").isTrue();
        assertThat(server.written.get()).isBetween((long) cap, cap + SOCKET_BUFFERS);
    }

    @Test
    void aSmallTextReadIsCutAtItsCapAndClosesTheConnection() throws InterruptedException {
        UpstreamHttp.Result result = http.get(server.origin(), server.uri(), Map.of());

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).hasSize(64 * 1024);
        assertThat(server.ended.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(server.closedByPeer).isTrue();
        assertThat(server.written.get()).isLessThan(SOCKET_BUFFERS);
    }

    /** Answers one request with 200 and a chunked body of {@link #WHOLE_BODY} bytes, unless the reader hangs up. */
    private static final class EndlessChunkedServer implements AutoCloseable {
        private final ServerSocket socket;
        private final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicLong written = new AtomicLong();
        private volatile boolean closedByPeer;

        EndlessChunkedServer() {
            try {
                socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread thread = new Thread(this::serve, "endless-chunked");
            thread.setDaemon(true);
            thread.start();
        }

        Origin origin() {
            return Origin.of(uri());
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/v2/app/tags/list");
        }

        private void serve() {
            try (Socket connection = socket.accept()) {
                readHead(connection.getInputStream());
                OutputStream out = connection.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                byte[] data = new byte[64 * 1024];
                Arrays.fill(data, (byte) 'a');
                byte[] size = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                byte[] end = "\r\n".getBytes(StandardCharsets.US_ASCII);
                while (written.get() < WHOLE_BODY) {
                    out.write(size);
                    out.write(data);
                    out.write(end);
                    written.addAndGet(data.length);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                closedByPeer = true;
            } finally {
                ended.countDown();
            }
        }

        private static void readHead(InputStream in) throws IOException {
            int matched = 0;
            byte[] marker = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
            while (matched < marker.length) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("request ended early");
                }
                matched = b == marker[matched] ? matched + 1 : (b == marker[0] ? 1 : 0);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
