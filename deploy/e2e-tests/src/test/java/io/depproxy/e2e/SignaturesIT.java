package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.depproxy.contracts.Digests;
import io.depproxy.contracts.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Signatures checked on pull, against a real docker-registry upstream holding a signed image, an unsigned one, one
 * signed by another key and a multi-arch image signed on its index (signed as cosign does, {@link CosignSignatures}).
 * Under {@code enforce} skopeo copies the signed image and is refused the others with 403 DENIED and the reason; the
 * multi-arch image is served per platform to skopeo and containerd; a verified image is served again with its
 * upstream stopped. Under {@code warn} the unsigned image is served, and counted.
 */
class SignaturesIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static UpstreamRegistry upstream;
    private static ProxyStack stack;
    private static final CosignSignatures GROUP_KEY = new CosignSignatures();
    private static String unsignedDigest;

    @BeforeAll
    static void startEverything() throws Exception {
        upstream = e2e.upstream("upstream");
        GROUP_KEY.sign(upstream, "library/signed", push(1, "library/signed"));
        unsignedDigest = push(2, "library/unsigned");
        new CosignSignatures().sign(upstream, "library/other-key", push(3, "library/other-key"));

        Path dir = e2e.dir("layout-multi");
        OciImageLayout layout = new OciImageLayout(dir, 4);
        OciImageLayout.Descriptor index = layout.index(List.of(layout.image("amd64", 1_000, 30_000),
                layout.image("arm64", 1_000, 31_000)));
        layout.tag("1", index);
        Skopeo.push(dir, "1", upstream.hostPort() + "/library/multi:1", true);
        GROUP_KEY.sign(upstream, "library/multi", index.digest());

        stack = e2e.stackBehind(upstream.url());
        requireSignatures(stack.createGroup("enforced"), "enforce");
        requireSignatures(stack.createGroup("warned"), "warn");
    }

    /** A single-platform image pushed as {@code name:1}; its manifest digest. */
    private static String push(long seed, String name) throws Exception {
        return e2e.pushImage(upstream, name + ":1", seed, 1_000, 20_000 + seed).manifest().digest();
    }

    private static void requireSignatures(long group, String mode) throws Exception {
        stack.admin("PUT", "/groups/" + group + "/dependency_proxy/policy", JSON.writeValueAsString(Map.of(
                "signatures", Map.of("mode", mode, "keys", List.of(GROUP_KEY.publicPem())))));
    }

    private static String image(String group, String name) {
        return stack.hostPort() + "/" + group + "/dependency_proxy/containers/" + name;
    }

    private static ExternalCommand.Result pull(String group, String name, String label, String... options)
            throws Exception {
        return Skopeo.pull(image(group, name), CREDS, e2e.dir("pulled-" + label), options);
    }

    @Test
    void enforceServesTheImageSignedByTheGroupsKey() throws Exception {
        pull("enforced", "signed:1", "signed").assertSuccess(List.of("skopeo copy of the signed image"));
    }

    @Test
    void enforceRefusesAnUnsignedImageSayingWhatIsMissing() throws Exception {
        ExternalCommand.Result refused = pull("enforced", "unsigned:1", "unsigned");

        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).containsIgnoringCase("denied")
                .contains("no signature found under tag sha256-" + Digests.hexOf(unsignedDigest) + ".sig");
    }

    @Test
    void enforceRefusesAnImageSignedByAnotherKey() throws Exception {
        ExternalCommand.Result refused = pull("enforced", "other-key:1", "other-key");

        assertThat(refused.exitCode()).as(refused.output()).isNotZero();
        assertThat(refused.output()).containsIgnoringCase("denied")
                .contains("but none verifies with the group's key");
    }

    @Test
    void aMultiArchImageSignedOnItsIndexIsServedPerPlatform() throws Exception {
        pull("enforced", "multi:1", "multi-arm64", "--override-arch", "arm64")
                .assertSuccess(List.of("skopeo copy --override-arch arm64"));
        pull("enforced", "multi:1", "multi-amd64", "--override-arch", "amd64")
                .assertSuccess(List.of("skopeo copy --override-arch amd64"));
        ExternalCommand.requireOnPath("containerd");
        try (Containerd containerd = new Containerd(e2e.dir("containerd"))) {
            containerd.start();
            containerd.pull(image("enforced", "multi:1"), CREDS).assertSuccess(List.of("ctr pull of multi:1"));
        }
    }

    @Test
    void warnServesTheUnsignedImageAndCountsIt() throws Exception {
        double before = unsignedChecks();

        pull("warned", "unsigned:1", "warned").assertSuccess(List.of("skopeo copy under warn"));

        assertThat(unsignedChecks()).isGreaterThan(before);
        assertThat(stack.log()).contains("served without a valid signature: no signature found under tag sha256-"
                + Digests.hexOf(unsignedDigest) + ".sig");
    }

    @Test
    void aVerifiedImageIsServedWithItsUpstreamStopped() throws Exception {
        try (UpstreamRegistry gone = new UpstreamRegistry(e2e.dir("gone"))) {
            gone.start();
            OciImageLayout.Image image = e2e.pushImage(gone, "team/app:1", 5, 1_000, 25_000);
            GROUP_KEY.sign(gone, "team/app", image.manifest().digest());
            long upstreamId = stack.addUpstream(Map.of("name", "gone.e2e", "url", gone.url()));
            long group = stack.createGroup("enforced-gone");
            stack.listUpstreams(group, List.of(upstreamId));
            requireSignatures(group, "enforce");
            pull("enforced-gone", "team/app:1", "gone-before").assertSuccess(List.of("skopeo copy, upstream up"));
            // the accelerator stores what it fetched once the client has it: wait until every object is a hit
            RegistryHttp registry = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);
            String repository = "/v2/enforced-gone/dependency_proxy/containers/team/app/";
            List<String> objects = new java.util.ArrayList<>(List.of("manifests/" + image.manifest().digest()));
            image.blobs().forEach(blob -> objects.add("blobs/" + blob.digest()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                for (String object : objects) {
                    assertThat(registry.head(repository + object).headers()
                            .firstValue(Headers.CACHE_STATUS)).as(object).hasValue("hit");
                }
            });

            gone.stop();

            pull("enforced-gone", "team/app:1", "gone-after").assertSuccess(List.of("skopeo copy, upstream stopped"));
            pull("enforced-gone", "team/app@" + image.manifest().digest(), "gone-by-digest")
                    .assertSuccess(List.of("skopeo copy by digest, upstream stopped"));
        }
    }

    /** {@code dp_signature_checks_total{result="unsigned"}} from the control plane's metrics. */
    private static double unsignedChecks() throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.controlPlanePort()
                + "/-/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher line = Pattern.compile("(?m)^dp_signature_checks_total\\{[^}]*result=\"unsigned\"[^}]*} (\\S+)$")
                .matcher(metrics);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
