package io.depproxy.controlplane.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.depproxy.controlplane.support.HostileRegistry;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream HEADs and GETs of the control plane under the destination policy: an upstream's redirect to another
 * loopback port, to the control plane, to the object store or to the metadata address is refused before anything is
 * sent there; an allow-listed one is reached without the credentials; the connection goes to the checked address.
 */
class UpstreamHttpDestinationTest {
    private static final Map<String, String> CREDENTIALS = Map.of("Authorization", "Basic dXNlcjpzZWNyZXQ=");

    private final HostileRegistry upstream = HostileRegistry.start();
    private final HostileRegistry elsewhere = HostileRegistry.start();
    private final HostileRegistry controlPlane = HostileRegistry.start();
    private final HostileRegistry objectStore = HostileRegistry.start();

    @AfterEach
    void stop() {
        List.of(upstream, elsewhere, controlPlane, objectStore).forEach(HostileRegistry::close);
    }

    /** The control plane's policy in this test: its own port and the object store are the fakes'. */
    private UpstreamHttp http(String allow, Resolver resolver) {
        OwnServices own = OwnServices.of(List.of(URI.create(controlPlane.baseUrl()), URI.create(objectStore.baseUrl())),
                Resolver.SYSTEM);
        return new UpstreamHttp(new OutboundDestinations(new OutboundPolicy(AllowList.parse(allow), own, resolver)));
    }

    private URI manifest() {
        return URI.create(upstream.baseUrl() + "/v2/library/app/manifests/latest");
    }

    @Test
    void aRedirectToAnotherLoopbackPortIsRefusedAndThatPortSeesNothing() {
        upstream.redirectTo(elsewhere.baseUrl() + "/internal");
        UpstreamHttp http = http("", Resolver.SYSTEM);

        assertThatThrownBy(() -> http.head(Origin.of(upstream.baseUrl()), manifest(), CREDENTIALS))
                .isInstanceOf(UpstreamDestinationRefused.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> http.get(Origin.of(upstream.baseUrl()), manifest(), CREDENTIALS))
                .isInstanceOf(UpstreamDestinationRefused.class);
        assertThat(upstream.requests()).hasSize(2);
        assertThat(elsewhere.requests()).isEmpty();
    }

    @Test
    void aRedirectToTheControlPlaneIsRefusedEvenWithLoopbackAllowListed() {
        upstream.redirectTo(controlPlane.baseUrl() + "/-/metrics");
        UpstreamHttp http = http("127.0.0.0/8", Resolver.SYSTEM);

        assertThatThrownBy(() -> http.head(Origin.of(upstream.baseUrl()), manifest(), CREDENTIALS))
                .isInstanceOf(UpstreamDestinationRefused.class).hasMessageContaining("own service");
        assertThat(controlPlane.requests()).isEmpty();
    }

    @Test
    void aRedirectToTheObjectStoreIsRefusedEvenWithLoopbackAllowListed() {
        upstream.redirectTo(objectStore.baseUrl().replace("127.0.0.1", "localhost") + "/bucket/object");
        UpstreamHttp http = http("127.0.0.0/8,localhost", Resolver.SYSTEM);

        assertThatThrownBy(() -> http.get(Origin.of(upstream.baseUrl()), manifest(), CREDENTIALS))
                .isInstanceOf(UpstreamDestinationRefused.class).hasMessageContaining("own service");
        assertThat(objectStore.requests()).isEmpty();
    }

    @Test
    void aRedirectToTheMetadataAddressIsRefusedWithoutConnecting() {
        upstream.redirectTo("http://169.254.169.254/latest/meta-data/iam/security-credentials/");
        UpstreamHttp http = http("169.254.0.0/16", Resolver.SYSTEM);
        long start = System.nanoTime();

        assertThatThrownBy(() -> http.head(Origin.of(upstream.baseUrl()), manifest(), CREDENTIALS))
                .isInstanceOf(UpstreamDestinationRefused.class).hasMessageContaining("metadata");
        // the connect timeout is 10 s: refused before any connection was tried
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(UpstreamHttp.CONNECT_TIMEOUT);
    }

    @Test
    void anAllowListedLoopbackPortIsReachedWithoutTheCredentials() {
        upstream.redirectTo(elsewhere.baseUrl() + "/internal");
        UpstreamHttp http = http("127.0.0.1:" + elsewhere.port(), Resolver.SYSTEM);

        UpstreamHttp.Result result = http.get(Origin.of(upstream.baseUrl()), manifest(), CREDENTIALS);

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo(HostileRegistry.SECRET);
        assertThat(upstream.requests().get(0).authorization()).isEqualTo(CREDENTIALS.get("Authorization"));
        assertThat(elsewhere.requests("/internal").get(0).authorization()).isNull();
    }

    /** The name is resolved by the policy only: the system resolver cannot answer it, and Host keeps the name. */
    @Test
    void connectsToTheCheckedAddressWithTheUrlsHost() {
        Resolver onlyThePolicyKnowsIt = host -> List.of(InetAddress.getLoopbackAddress());
        UpstreamHttp http = http("", onlyThePolicyKnowsIt);
        String authority = "registry.pinned.invalid:" + upstream.port();

        UpstreamHttp.Result result = http.get(Origin.of("http://" + authority), URI.create("http://" + authority
                + "/v2/"), Map.of());

        assertThat(result.status()).isEqualTo(200);
        assertThat(upstream.requests("/v2/").get(0).host()).isEqualTo(authority);
    }
}
