package io.depproxy.accelerator.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.accelerator.support.RecordedRequest;
import io.depproxy.contracts.Headers;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** Everything that is not an injection is a plain, streaming reverse proxy to the control plane. */
class BackendProxyTest extends AcceleratorTestBase {
    private static final String CHALLENGE = "Bearer realm=\"http://localhost:8080/jwt/auth\",service=\"dependency_proxy\"";

    @Test
    void relaysANonOkAnswerAndStripsTheSendDataHeader() {
        controlPlane.answer("/v2/", request -> request.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader(Headers.SEND_DATA, "send-url:c2VjcmV0")
                .putHeader("Content-Type", "application/json")
                .end("{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"));

        ClientResponse response = get("/v2/");

        assertThat(response.status()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo(CHALLENGE);
        assertThat(response.header(Headers.SEND_DATA)).isNull();
        assertThat(response.bodyText()).contains("UNAUTHORIZED");
    }

    @Test
    void relaysAPlainOkAnswerWithItsQueryAndBody() {
        controlPlane.answer("/jwt/auth", request -> request.response().putHeader("Content-Type", "application/json")
                .end("{\"token\":\"t\",\"query\":\"" + request.query() + "\"}"));

        ClientResponse response = get("/jwt/auth?service=dependency_proxy&scope=repository:a:pull");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"token\":\"t\",\"query\":\"service=dependency_proxy&scope=repository:a:pull\"}");
    }

    @Test
    void forwardsTheRequestBodyAndProxyHeadersButNoHopByHopHeaders() {
        controlPlane.answer("/jwt/auth", request -> request.response().end("{}"));
        Buffer form = Buffer.buffer("grant_type=password&username=root&password=secret");

        Await.result(send(port, HttpMethod.POST, "/jwt/auth", form, "Content-Type", "application/x-www-form-urlencoded",
                "Connection", "keep-alive, X-Hop", "X-Hop", "1", "Proxy-Authorization", "Basic x", "X-Request-Id", "req-42"));

        RecordedRequest seen = controlPlane.requests("/jwt/auth").get(0);
        assertThat(seen.bodyText()).isEqualTo(form.toString());
        assertThat(seen.header("X-Forwarded-For")).isEqualTo("127.0.0.1");
        assertThat(seen.header("X-Forwarded-Proto")).isEqualTo("http");
        assertThat(seen.header("X-Forwarded-Host")).isEqualTo("127.0.0.1:" + port);
        assertThat(seen.header("X-Request-Id")).isEqualTo("req-42");
        assertThat(seen.header("X-Hop")).isNull();
        assertThat(seen.header("Proxy-Authorization")).isNull();
        assertThat(seen.header("Host")).isEqualTo(URI.create(controlPlane.url()).getAuthority());
    }

    @Test
    void generatesARequestIdWhenTheClientSentNone() {
        controlPlane.answer("/v2/", request -> request.response().end("{}"));

        get("/v2/");

        assertThat(controlPlane.requests("/v2/").get(0).header("X-Request-Id")).isNotBlank();
    }

    @Test
    void answers503WhenTheControlPlaneIsDown() {
        int orphan = startAccelerator(withControlPlane("http://127.0.0.1:1"));

        ClientResponse response = call(orphan, HttpMethod.GET, "/v2/");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
    }

    @Test
    void answers502ForAMalformedInjection() {
        controlPlane.answer("/v2/x", request -> request.response().putHeader(Headers.SEND_DATA, "send-url:%%%").end());

        ClientResponse response = get("/v2/x");

        assertThat(response.status()).isEqualTo(502);
        assertThat(response.header(Headers.SEND_DATA)).isNull();
        assertThat(response.bodyText()).contains("\"code\":\"UNAVAILABLE\"");
    }

    private AcceleratorConfig withControlPlane(String url) {
        return config.toBuilder().controlPlaneUrl(URI.create(url)).build();
    }
}
