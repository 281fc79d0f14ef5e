package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.TrickleFlood;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Connections per client address: one address over its limit is refused at once while other addresses are served. */
class ConnectionLimitTest extends EdgeLimitTestBase {
    private static final int LIMIT = 3;

    @Test
    void aClientOverItsConnectionLimitIsRefusedWhileOthersAreServed() throws Exception {
        int edge = startWith(settings(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(60), LIMIT,
                256));

        // the client's connections, kept alive after one request each: proof the accelerator took all of them
        String request = "GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        try (TrickleFlood held = TrickleFlood.start(edge, LIMIT, request, null)) {
            Await.await("an answer on each of the client's connections").until(() -> held.answered() == LIMIT);

            try (Socket oneTooMany = new Socket("127.0.0.1", edge)) {
                oneTooMany.setSoTimeout(5000);
                assertThat(oneTooMany.getInputStream().read()).as("end of stream, nothing answered").isEqualTo(-1);
            }
            // 127.0.0.2 is loopback too, and another client address
            assertThat(getFrom("127.0.0.2", edge)).startsWith("HTTP/1.1 200 ").endsWith("{}");
            assertThat(held.open()).isEqualTo(LIMIT);
        }
        // once they are closed, the same client is served again
        Await.await("the closed connections to be given back")
                .until(() -> shared.connections().openFrom("127.0.0.1") == 0);
        ordinaryRequestsAnswer(edge);
        assertThat(refusals(AcceleratorMetrics.REFUSED_CONNECTION_LIMIT)).isEqualTo(1);
    }

    /** A GET of {@code /v2/} from {@code localAddress}, on a connection closed after the answer; the whole answer. */
    private static String getFrom(String localAddress, int port) throws Exception {
        try (Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), port, InetAddress.getByName(localAddress),
                0)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
