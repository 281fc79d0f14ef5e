package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.TrickleFlood;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of slow clients against an accelerator with short deadlines: the ones that trickle a body and the ones
 * that never finish their head are closed by their deadline, the control plane never hears of them, and ordinary
 * requests keep answering beside them.
 */
class EdgeFloodTest extends EdgeLimitTestBase {
    /** More than the control plane's pool (256 per event loop): enough to starve it if they held its connections. */
    private static final int FLOOD = 300;
    private static final Duration TICK = Duration.ofMillis(200);
    /** Ordinary clients ask now and then, not as fast as they can (that would be a flood of its own). */
    private static final Duration BETWEEN_ROUNDS = Duration.ofMillis(100);
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    /**
     * Closing comes after the deadline by the guard's sweep (a head) or the linger after the 408 (a body, one second),
     * and by scheduling on a busy 2-core machine.
     */
    private static final Duration MARGIN = Duration.ofSeconds(3);

    @Test
    void aSlowBodyFloodIsCutByTheBodyDeadlineAndNeverReachesTheControlPlane() {
        int edge = startWith(settings(Duration.ofSeconds(10), DEADLINE, Duration.ofSeconds(30), 0, 256));
        String head = "POST /jwt/auth HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\n";

        try (TrickleFlood flood = TrickleFlood.start(edge, FLOOD, head, TICK)) {
            Await.await("the flood to be in").until(() -> shared.work().streams() >= FLOOD);
            keepAsking(edge, flood);

            assertThat(flood.lifetimes()).hasSize(FLOOD)
                    .allSatisfy(lifetime -> assertThat(lifetime).isBetween(DEADLINE, DEADLINE.plus(MARGIN)));
            assertThat(flood.answers()).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 408 ")
                    .containsIgnoringCase("Connection: close").contains("\"code\":\"UNKNOWN\""));
        }
        assertThat(controlPlane.headsSeen("/jwt/auth")).isZero();
        assertThat(refusals(AcceleratorMetrics.REFUSED_BODY_TIMEOUT)).isEqualTo(FLOOD);
        assertThat(shared.bodyBudget().used()).isZero();
    }

    @Test
    void anUnfinishedHeadFloodIsClosedByTheHeaderDeadline() {
        // a per-address limit above the flood, only so that the accelerator counts the connections it took in
        int edge = startWith(settings(DEADLINE, Duration.ofSeconds(10), Duration.ofSeconds(30), 2 * FLOOD, 256));
        String unfinished = "GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

        try (TrickleFlood flood = TrickleFlood.start(edge, FLOOD, unfinished, TICK)) {
            Await.await("the flood to be in").until(() -> shared.connections().openFrom("127.0.0.1") >= FLOOD);
            keepAsking(edge, flood);

            assertThat(flood.lifetimes()).hasSize(FLOOD)
                    .allSatisfy(lifetime -> assertThat(lifetime).isBetween(DEADLINE, DEADLINE.plus(MARGIN)));
            assertThat(flood.answers()).allSatisfy(answer -> assertThat(answer).isEmpty());
        }
        assertThat(refusals(AcceleratorMetrics.REFUSED_HEADER_TIMEOUT)).isEqualTo(FLOOD);
    }

    @Test
    void theNextHeadOnAKeptAliveConnectionHasTheSameDeadline() throws Exception {
        int edge = startWith(settings(DEADLINE, Duration.ofSeconds(10), Duration.ofSeconds(30), 0, 256));

        try (Socket socket = new Socket("127.0.0.1", edge)) {
            socket.setSoTimeout((int) DEADLINE.plus(MARGIN).plus(MARGIN).toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            String answer = readAnswer(in);
            assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("{}");
            long answered = System.nanoTime();
            out.write("GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a".getBytes(StandardCharsets.ISO_8859_1));

            int next = in.read();
            Duration open = Duration.ofNanos(System.nanoTime() - answered);

            assertThat(next).as("end of stream").isEqualTo(-1);
            assertThat(open).isBetween(DEADLINE.minusMillis(100), DEADLINE.plus(MARGIN));
        }
        // a connection that was served once is not counted as refused: an idle keep-alive connection is normal
        assertThat(refusals(AcceleratorMetrics.REFUSED_HEADER_TIMEOUT)).isZero();
    }

    /** Ordinary requests, one pair after the other, until the flood is gone or should long have been. */
    private void keepAsking(int edge, TrickleFlood flood) {
        Await.await("the flood connections to be closed, ordinary requests answered meanwhile")
                .atMost(DEADLINE.plus(MARGIN).plus(MARGIN)).pollInSameThread().pollInterval(BETWEEN_ROUNDS)
                .until(() -> {
                    ordinaryRequestsAnswer(edge);
                    return flood.open() == 0;
                });
    }

    /** One response with a Content-Length, head and body. */
    private static String readAnswer(InputStream in) throws Exception {
        StringBuilder text = new StringBuilder();
        int contentLength = -1;
        while (contentLength < 0 || text.length() < text.indexOf("\r\n\r\n") + 4 + contentLength) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
            int end = text.indexOf("\r\n\r\n");
            if (contentLength < 0 && end >= 0) {
                String head = text.substring(0, end).toLowerCase();
                int at = head.indexOf("content-length: ");
                contentLength = Integer.parseInt(head.substring(at + 16).split("\r\n")[0].trim());
            }
        }
        return text.toString();
    }
}
