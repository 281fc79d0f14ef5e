package io.depproxy.accelerator.inject;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.CapturedLog;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.FakeUpstream;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What an upstream said when it failed (its error text, the host it could not be reached at) goes to the log with the
 * request id, never into the client's error body, which names only the kind of failure.
 */
class UpstreamErrorLeakTest extends AcceleratorTestBase {
    private static final String INTERNAL_URL = "http://registry.corp.internal:5000/v2/token?realm=vault.corp.internal";

    private CapturedLog log;

    @BeforeEach
    void captureLog() {
        log = CapturedLog.start();
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    @Test
    void anUpstream404BodyIsNotRelayedButItsCodeIs() {
        String digest = digestOf(Buffer.buffer("missing"));
        upstream.serve("/blob", FakeUpstream.json(404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\",\"message\":\"see "
                + INTERNAL_URL + "\"}]}"));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest), "X-Request-Id", "leak-404");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyText()).contains("\"code\":\"BLOB_UNKNOWN\"").contains("upstream registry answered 404")
                .doesNotContain("corp.internal");
        assertLogged("leak-404", "registry.corp.internal:5000");
    }

    @Test
    void anUpstream500BodyWithAUrlStaysInTheLog() {
        String digest = digestOf(Buffer.buffer("broken"));
        upstream.serve("/blob", request -> request.response().setStatusCode(500).putHeader("Content-Type", "text/html")
                .end("<html>proxy error: upstream " + INTERNAL_URL + " refused</html>"));
        controlPlane.inject(blobPath(digest), blobMiss("/blob", digest, null));

        ClientResponse response = get(blobPath(digest), "X-Request-Id", "leak-500");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"").doesNotContain("corp.internal", "<html>");
        assertLogged("leak-500", "registry.corp.internal:5000");
    }

    @Test
    void aRefusedConnectionToAHostNameIsNamedOnlyInTheLog() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String digest = digestOf(Buffer.buffer("unreachable"));
        controlPlane.inject(blobPath(digest), blobMissFrom("http://localhost:" + closedPort + "/v2/app/blobs/" + digest,
                digest, null));

        ClientResponse response = get(blobPath(digest), "X-Request-Id", "leak-refused");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).contains("the upstream registry could not be reached")
                .doesNotContain("localhost", Integer.toString(closedPort), "Connection refused");
        assertLogged("leak-refused", "localhost");
        assertLogged("leak-refused", Integer.toString(closedPort));
    }

    private void assertLogged(String requestId, String detail) {
        Await.await("a log line of " + requestId + " with " + detail)
                .until(() -> log.linesOf(requestId).stream().anyMatch(line -> line.contains(detail)));
    }
}
