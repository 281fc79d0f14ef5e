package io.depproxy.accelerator.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.Test;

/** What the router itself refuses, before any route ran, is answered in registry JSON and counted like the rest. */
class EdgeRouterTest extends AcceleratorTestBase {

    @Test
    void anHttp11RequestWithoutHostIsABadRequestInRegistryJson() {
        String answer = exchangeRaw("GET /v2/ HTTP/1.1\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"code\":\"NAME_INVALID\"");
        assertThat(controlPlane.everyRequest()).isEmpty();
        assertThat(get("/-/metrics").bodyText()).contains("accel_http_requests_total{route=\"v2\",status=\"400\"} 1");
    }

    @Test
    void anHttp10RequestNeedsNoHostAndIsForwarded() {
        controlPlane.answer("/v2/", request -> request.response().end("{}"));

        String answer = exchangeRaw("GET /v2/ HTTP/1.0\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.0 200");
        assertThat(controlPlane.requests("/v2/")).hasSize(1);
    }

    @Test
    void aPathThatIsNotOneIsNotFoundInRegistryJson() {
        String answer = exchangeRaw("OPTIONS * HTTP/1.1\r\nHost: registry.example\r\nConnection: close\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 404").contains("\"code\":\"NAME_UNKNOWN\"");
        assertThat(controlPlane.everyRequest()).isEmpty();
    }

    /** Writes {@code request} as is on a new connection and answers everything read until the server closes it. */
    private String exchangeRaw(String request) {
        Promise<String> answer = Promise.promise();
        vertx.createNetClient().connect(port, "127.0.0.1").onFailure(answer::tryFail).onSuccess((NetSocket socket) -> {
            Buffer received = Buffer.buffer();
            socket.handler(received::appendBuffer);
            socket.closeHandler(v -> answer.tryComplete(received.toString()));
            socket.write(request);
        });
        return Await.result(answer.future());
    }
}
