package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Bodies are read whole before the control plane is asked, so the bytes they hold are bounded for the whole process:
 * clients that send most of a large body and stall fill the budget, and the next body is refused at once instead of
 * growing the heap. Pulls, which have no body, go on.
 */
class BodyBudgetTest extends EdgeLimitTestBase {
    private static final int ALMOST_WHOLE = (int) EdgeLimits.MAX_FORWARDED_BODY_BYTES - 1;
    /** Longer than the few bytes the stalled bodies leave of the budget. */
    private static final Buffer FORM = Buffer.buffer("grant_type=password&service=dependency_proxy&scope=repository");

    @Test
    void bodiesBeyondTheBudgetAreRefusedWhilePullsGoOn() throws Exception {
        controlPlane.answer("/jwt/auth", request -> request.response().end("{\"token\":\"t\"}"));
        int edge = startWith(settings(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60), 0, 256));
        int stalled = (int) (BodyBudget.DEFAULT_CAPACITY / EdgeLimits.MAX_FORWARDED_BODY_BYTES);
        List<Socket> holders = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                holders.add(sendAllButTheLastByte(edge));
            }
            Await.await("the stalled bodies to be held")
                    .until(() -> shared.bodyBudget().used() == (long) stalled * ALMOST_WHOLE);

            ClientResponse refused = Await.result(send(edge, HttpMethod.POST, "/jwt/auth",
                    FORM, "Content-Type", "application/x-www-form-urlencoded"));

            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.header("Retry-After")).isEqualTo("1");
            assertThat(refused.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
            assertThat(refusals(AcceleratorMetrics.REFUSED_BODY_BUDGET)).isEqualTo(1);
            ordinaryRequestsAnswer(edge);
        } finally {
            for (Socket holder : holders) {
                holder.close();
            }
        }
        Await.await("the budget to be given back").until(() -> shared.bodyBudget().used() == 0);
        ClientResponse token = Await.result(send(edge, HttpMethod.POST, "/jwt/auth",
                FORM, "Content-Type", "application/x-www-form-urlencoded"));
        assertThat(token.status()).isEqualTo(200);
        assertThat(controlPlane.headsSeen("/jwt/auth")).isEqualTo(1);
    }

    /** A token request announcing the largest body, all of which but the last byte is sent; then nothing. */
    private static Socket sendAllButTheLastByte(int port) throws Exception {
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /jwt/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + EdgeLimits.MAX_FORWARDED_BODY_BYTES + "\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(new byte[ALMOST_WHOLE]);
        out.flush();
        return socket;
    }
}
