package io.depproxy.contracts.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Credentials follow a redirect only on the same origin, and reach a token realm only over https or on the host. */
class OutboundCredentialsTest {

    record Hop(String name, String from, String to, boolean keeps) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Hop> hops() {
        return Stream.of(
                new Hop("same origin", "https://registry.example/v2/a", "https://registry.example/v2/b", true),
                new Hop("same origin, default port written", "https://Registry.example/v2/a",
                        "HTTPS://registry.example:443/b", true),
                new Hop("plain http, default port written", "http://h/a", "http://h:80/b", true),
                new Hop("another host", "https://registry.example/v2/a", "https://cdn.example/a", false),
                new Hop("another port", "https://registry.example/v2/a", "https://registry.example:8443/a", false),
                new Hop("downgrade to http", "https://registry.example/v2/a", "http://registry.example/v2/a", false),
                new Hop("downgrade to http on port 443", "https://registry.example/v2/a",
                        "http://registry.example:443/v2/a", false),
                new Hop("upgrade to https is another origin too", "http://registry.example/a",
                        "https://registry.example/a", false),
                new Hop("a subdomain", "https://registry.example/a", "https://evil.registry.example/a", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hops")
    void aRedirectKeepsCredentialsOnlyOnItsOrigin(Hop hop) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("authorization", "Bearer t");
        headers.put("Cookie", "c=1");
        headers.put("Proxy-Authorization", "Basic x");
        headers.put("X-Registry-Auth", "e30=");
        headers.put("Accept", "application/json");

        Map<String, String> sent = OutboundCredentials.forRedirect(URI.create(hop.from()), URI.create(hop.to()),
                headers);

        assertThat(OutboundCredentials.mayFollow(URI.create(hop.from()), URI.create(hop.to()))).isEqualTo(hop.keeps());
        assertThat(sent).containsEntry("Accept", "application/json");
        assertThat(sent).hasSize(hop.keeps() ? 5 : 1);
    }

    @Test
    void aTokenRealmGetsCredentialsOverHttpsOrOnTheHttpUpstreamsOwnHost() {
        URI httpsUpstream = URI.create("https://registry-1.docker.io");
        URI httpUpstream = URI.create("http://127.0.0.1:5000");

        assertThat(OutboundCredentials.realmMayReceive(httpsUpstream, URI.create("https://auth.docker.io/token")))
                .isTrue();
        assertThat(OutboundCredentials.realmMayReceive(httpsUpstream, URI.create("http://auth.docker.io/token")))
                .isFalse();
        assertThat(OutboundCredentials.realmMayReceive(httpsUpstream, URI.create("http://registry-1.docker.io/t")))
                .as("a downgrade from an https upstream").isFalse();
        assertThat(OutboundCredentials.realmMayReceive(httpUpstream, URI.create("http://127.0.0.1:5001/token")))
                .isTrue();
        assertThat(OutboundCredentials.realmMayReceive(httpUpstream, URI.create("http://localhost:5000/token")))
                .as("another host name, though the same machine").isFalse();
        assertThat(OutboundCredentials.realmMayReceive(httpUpstream, URI.create("https://auth.example/token")))
                .isTrue();
        assertThat(OutboundCredentials.realmMayReceive(httpUpstream, URI.create("ftp://127.0.0.1/token"))).isFalse();
    }

    @Test
    void redirectTargetsAreHttpUrlsOnly() {
        URI from = URI.create("https://registry.example/v2/x/blobs/sha256:1");

        assertThat(OutboundRedirects.target(from, "/cdn/blob?sig=1"))
                .isEqualTo(URI.create("https://registry.example/cdn/blob?sig=1"));
        assertThat(OutboundRedirects.target(from, "http://cdn.example/b")).isEqualTo(URI.create("http://cdn.example/b"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> OutboundRedirects.target(from, "file:///etc/passwd"))
                .isInstanceOf(OutboundRefused.class);
    }
}
