package io.depproxy.contracts.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The destination policy, one row per rule: what is refused, what opens it, what is always allowed. */
class OutboundPolicyTest {
    private static final Origin UPSTREAM = Origin.of("http://registry.internal:5000");
    /** A tiny DNS: names to addresses; IP literals answer themselves. */
    private static final Map<String, List<String>> DNS = Map.of(
            "registry.internal", List.of("10.1.2.3"),
            "cdn.example", List.of("93.184.216.34"),
            "rebind.example", List.of("93.184.216.34", "127.0.0.1"),
            "metadata.google.internal", List.of("169.254.169.254"),
            "control-plane", List.of("10.9.9.9"),
            "minio", List.of("10.8.8.8"),
            "localhost", List.of("127.0.0.1"));
    private static final Resolver RESOLVER = host -> {
        List<String> answer = DNS.get(host);
        if (answer == null && Cidr.literal(host) == null) {
            throw new UnknownHostException(host);
        }
        return answer == null ? List.of(InetAddress.getByAddress(host, Cidr.literal(host)))
                : answer.stream().map(OutboundPolicyTest::address).toList();
    };
    /** The control plane on 8081 of this host, the object store at minio:9000 and at 127.0.0.1:9000. */
    private static final OwnServices OWN = OwnServices.of(List.of(URI.create("http://127.0.0.1:8081"),
            URI.create("http://minio:9000"), URI.create("http://127.0.0.1:9000")), RESOLVER,
            Set.of(address("192.168.1.20")));

    record Case(String name, String url, String allow, String refusedBecause) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                // always refused
                new Case("metadata by address", "http://169.254.169.254/latest/meta-data/", "", "metadata"),
                new Case("metadata by name", "http://metadata.google.internal/", "", "metadata"),
                new Case("metadata even when allow-listed", "http://169.254.169.254/", "169.254.0.0/16", "metadata"),
                new Case("AWS IPv6 metadata", "http://[fd00:ec2::254]/", "fd00::/8", "metadata"),
                new Case("Alibaba metadata", "http://100.100.100.200/", "100.64.0.0/10", "metadata"),
                new Case("link-local", "http://169.254.3.4/", "", "link-local"),
                new Case("IPv6 link-local", "http://[fe80::1]/", "", "link-local"),
                new Case("metadata through NAT64", "http://[64:ff9b::a9fe:a9fe]/", "", "metadata"),
                new Case("metadata through 6to4", "http://[2002:a9fe:a9fe::1]/", "", "metadata"),
                new Case("unspecified", "http://0.0.0.0:8081/", "0.0.0.0/8", "unspecified"),
                new Case("IPv6 unspecified", "http://[::]/", "", "unspecified"),
                new Case("multicast", "http://224.0.0.1/", "", "multicast"),
                new Case("broadcast", "http://255.255.255.255/", "", "broadcast"),
                new Case("control plane port on loopback", "http://127.0.0.1:8081/-/metrics", "127.0.0.0/8", "own"),
                new Case("control plane port on localhost", "http://localhost:8081/-/metrics", "localhost", "own"),
                new Case("control plane port on an interface address", "http://192.168.1.20:8081/", "192.168.0.0/16",
                        "own"),
                new Case("object store by name", "http://minio:9000/bucket/key", "minio", "own"),
                new Case("object store by address", "http://10.8.8.8:9000/bucket/key", "10.0.0.0/8", "own"),
                new Case("object store on loopback", "http://127.0.0.1:9000/bucket", "127.0.0.1", "own"),
                // internal: refused unless it is the upstream itself or allow-listed
                new Case("another loopback port", "http://127.0.0.1:7000/", "", "loopback"),
                new Case("IPv6 loopback", "http://[::1]:7000/", "", "loopback"),
                new Case("private 10/8", "http://10.0.0.1/", "", "private"),
                new Case("private 172.16/12", "http://172.20.0.1/", "", "private"),
                new Case("private 192.168/16", "http://192.168.7.7/", "", "private"),
                new Case("carrier-grade NAT", "http://100.64.1.1/", "", "carrier-grade NAT"),
                new Case("unique local IPv6", "http://[fd12::1]/", "", "unique local"),
                new Case("IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:7000/", "", "loopback"),
                new Case("a name with one internal address among public ones", "http://rebind.example/", "", "loopback"),
                new Case("the upstream's host on another port", "http://registry.internal:6000/", "", "private"),
                new Case("allow-listed host, other port", "http://registry.internal:6000/", "registry.internal:5001",
                        "private"),
                new Case("allow-listed block, other address", "http://10.0.0.1/", "10.1.0.0/16", "private"),
                // allowed
                new Case("the upstream itself", "http://registry.internal:5000/v2/", "", null),
                new Case("allow-listed host, any port", "http://registry.internal:6000/", "registry.internal", null),
                new Case("allow-listed host:port", "http://localhost:7000/", "localhost:7000", null),
                new Case("allow-listed address:port", "http://127.0.0.1:7000/", "127.0.0.1:7000", null),
                new Case("allow-listed CIDR", "http://10.0.0.1/", "10.0.0.0/8", null),
                new Case("allow-listed IPv6 address:port", "http://[::1]:7000/", "[::1]:7000", null),
                new Case("public address", "https://cdn.example/blob", "", null),
                new Case("public IPv6 address", "https://[2606:4700::1]/blob", "", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void judges(Case c) throws UnknownHostException {
        OutboundPolicy policy = new OutboundPolicy(AllowList.parse(c.allow()), OWN, RESOLVER);
        URI uri = URI.create(c.url());

        if (c.refusedBecause() == null) {
            Destination destination = policy.check(uri, UPSTREAM);
            assertThat(destination.uri()).isEqualTo(uri);
            assertThat(destination.addresses()).isEqualTo(RESOLVER.resolve(Origin.of(uri).host()));
        } else {
            assertThatThrownBy(() -> policy.check(uri, UPSTREAM)).isInstanceOf(OutboundRefused.class)
                    .hasMessageContaining(c.refusedBecause());
        }
    }

    @Test
    void aRefusalNamesHostAndAddressForTheLogButNotForTheClient() {
        OutboundPolicy policy = new OutboundPolicy(AllowList.NONE, OWN, RESOLVER);

        OutboundRefused refused = catchRefusal(() -> policy.check(URI.create("http://rebind.example/x"), UPSTREAM));

        assertThat(refused.host()).isEqualTo("rebind.example");
        assertThat(refused.address()).isEqualTo("127.0.0.1");
        assertThat(refused.getMessage()).contains("rebind.example", "127.0.0.1");
        assertThat(OutboundRefused.CLIENT_MESSAGE).doesNotContain("rebind", "127.");
    }

    @Test
    void withoutAnUpstreamNothingInternalIsTrusted() {
        OutboundPolicy policy = new OutboundPolicy(AllowList.NONE, OWN, RESOLVER);

        assertThatThrownBy(() -> policy.check(URI.create("http://registry.internal:5000/"), null))
                .isInstanceOf(OutboundRefused.class);
    }

    @Test
    void aNameThatDoesNotResolveIsALookupFailureNotARefusal() {
        OutboundPolicy policy = new OutboundPolicy(AllowList.NONE, OWN, RESOLVER);

        assertThatThrownBy(() -> policy.check(URI.create("http://nowhere.example/"), UPSTREAM))
                .isInstanceOf(UnknownHostException.class);
        assertThatThrownBy(() -> policy.check(URI.create("file:///etc/passwd"), UPSTREAM))
                .isInstanceOf(OutboundRefused.class);
    }

    @Test
    void aConfiguredUpstreamMayBeInternalButNeverMetadataOrOwn() {
        OutboundPolicy policy = new OutboundPolicy(AllowList.NONE, OWN, RESOLVER);

        policy.checkConfigurable(URI.create("http://registry.internal:5000"));
        policy.checkConfigurable(URI.create("http://127.0.0.1:5000"));
        policy.checkConfigurable(URI.create("https://not-resolvable-yet.example"));
        assertThatThrownBy(() -> policy.checkConfigurable(URI.create("http://169.254.169.254")))
                .isInstanceOf(OutboundRefused.class).hasMessageContaining("metadata");
        assertThatThrownBy(() -> policy.checkConfigurable(URI.create("http://localhost:8081")))
                .isInstanceOf(OutboundRefused.class).hasMessageContaining("own");
    }

    @Test
    void aPublicObjectStoreIsRefusedByNameOnlyItsAddressesServeOthersToo() {
        Resolver dns = host -> List.of(address("52.216.1.1"));
        OwnServices cloudStore = OwnServices.of(List.of(URI.create("https://s3.example")), dns, Set.of());
        OutboundPolicy policy = new OutboundPolicy(AllowList.NONE, cloudStore, dns);

        assertThatThrownBy(() -> policy.check(URI.create("https://s3.example/bucket/key"), UPSTREAM))
                .isInstanceOf(OutboundRefused.class);
        assertThat(catchNothing(() -> policy.check(URI.create("https://layers.s3.example/blob"), UPSTREAM))).isTrue();
    }

    private static OutboundRefused catchRefusal(ThrowingCall call) {
        try {
            call.run();
        } catch (OutboundRefused refused) {
            return refused;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("not refused");
    }

    private static boolean catchNothing(ThrowingCall call) {
        try {
            call.run();
            return true;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private interface ThrowingCall {
        void run() throws Exception;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByAddress(Cidr.literal(literal));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
