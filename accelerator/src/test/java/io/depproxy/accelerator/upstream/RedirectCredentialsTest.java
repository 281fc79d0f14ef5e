package io.depproxy.accelerator.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.depproxy.accelerator.config.OutboundSettings;
import io.depproxy.accelerator.metrics.AcceleratorMetrics;
import io.depproxy.accelerator.stream.BoundedBody;
import io.depproxy.accelerator.support.AcceleratorTestBase;
import io.depproxy.accelerator.support.Await;
import io.depproxy.accelerator.support.ClientResponse;
import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundCredentials;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendUrl;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * Credentials sent to an upstream or an object store never follow a redirect to another scheme, host or port
 * (Docker Hub sends blob GETs to a CDN), whether the accelerator follows by hand or the HTTP client does. The other
 * port is a loopback one, so the accelerator reaches it only because DP_OUTBOUND_ALLOW names it.
 */
class RedirectCredentialsTest extends AcceleratorTestBase {
    private static final String TOKEN = "Bearer s3cret";
    private static final String DIGEST = "sha256:" + "d".repeat(64);
    private final Map<String, MultiMap> seen = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> servers = new ConcurrentHashMap<>();

    @Test
    void sendUrlDropsCredentialsOnARedirectToAnotherPort() {
        String other = serverAnswering("/object", null);
        String first = serverAnswering("/start", other + "/object");
        controlPlane.inject(blobPath(DIGEST), followingSendUrl(first + "/start"));
        int allowing = startAccelerator(config.toBuilder()
                .outbound(new OutboundSettings(AllowList.parse(authority(other)), null)).build());

        ClientResponse response = call(allowing, HttpMethod.GET, blobPath(DIGEST));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("object");
        assertThat(seen.get("/start").get("Authorization")).isEqualTo(TOKEN);
        assertThat(seen.get("/object").get("Authorization")).isNull();
        assertThat(seen.get("/object").get("Cookie")).isNull();
    }

    @Test
    void sendUrlKeepsCredentialsOnARedirectToTheSameOrigin() {
        String origin = serverAnswering("/object", null);
        serveOn(origin, "/start", origin + "/object");
        controlPlane.inject(blobPath(DIGEST), followingSendUrl(origin + "/start"));

        ClientResponse response = get(blobPath(DIGEST));

        assertThat(response.bodyText()).isEqualTo("object");
        assertThat(seen.get("/object").get("Authorization")).isEqualTo(TOKEN);
    }

    @Test
    void upstreamClientDropsCredentialsOnARedirectToAnotherPort() {
        String other = serverAnswering("/object", null);
        String first = serverAnswering("/start", other + "/object");
        OutboundGuard allowingOther = new OutboundGuard(vertx, new OutboundPolicy(AllowList.parse(authority(other)),
                OwnServices.NONE, Resolver.SYSTEM));
        UpstreamClient upstreamClient = new UpstreamClient(vertx.createHttpClient(), allowingOther,
                Duration.ofSeconds(2), Duration.ofSeconds(5), new AcceleratorMetrics());

        Promise<Void> read = Promise.promise();
        clientContext.runOnContext(v -> upstreamClient.get(first + "/start",
                        HeaderMap.of(Map.of("Authorization", List.of(TOKEN), "Cookie", List.of("c=1"))), "r1")
                .compose(BoundedBody::read).<Void>mapEmpty().onComplete(read));
        Await.result(read.future());

        assertThat(seen.get("/start").get("Authorization")).isEqualTo(TOKEN);
        assertThat(seen.get("/object").get("Authorization")).isNull();
        assertThat(seen.get("/object").get("Cookie")).isNull();
    }

    @Test
    void anotherSchemeOrPortIsAnotherOrigin() {
        assertThat(OutboundCredentials.mayFollow(URI.create("https://registry.example/v2/a"),
                URI.create("http://registry.example:443/v2/a"))).isFalse();
        assertThat(OutboundCredentials.mayFollow(URI.create("https://registry.example/v2/a"),
                URI.create("https://registry.example:8443/a"))).isFalse();
        assertThat(OutboundCredentials.mayFollow(URI.create("https://Registry.example/v2/a"),
                URI.create("HTTPS://registry.example:443/b"))).isTrue();
    }

    private static String authority(String base) {
        return base.substring("http://".length());
    }

    private SendUrl followingSendUrl(String url) {
        return new SendUrl(url, true, "GET", HeaderMap.of(Map.of("Authorization", List.of(TOKEN),
                "Cookie", List.of("session=1"))), HeaderMap.empty(), false, null);
    }

    /** A server whose {@code path} answers "object", or a 302 to {@code redirectTo}; answers its base URL. */
    private String serverAnswering(String path, String redirectTo) {
        Map<String, String> redirects = new ConcurrentHashMap<>();
        HttpServer server = Await.result(vertx.createHttpServer().requestHandler(request -> {
            seen.put(request.path(), MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
            String target = redirects.get(request.path());
            if (target != null) {
                request.response().setStatusCode(302).putHeader("Location", target).end();
            } else {
                request.response().end("object");
            }
        }).listen(0, "127.0.0.1"));
        String base = "http://127.0.0.1:" + server.actualPort();
        servers.put(base, redirects);
        if (redirectTo != null) {
            redirects.put(path, redirectTo);
        }
        return base;
    }

    private void serveOn(String base, String path, String redirectTo) {
        servers.get(base).put(path, redirectTo);
    }
}
