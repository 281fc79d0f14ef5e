package io.depproxy.contracts.senddata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.depproxy.contracts.Golden;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SendDataCodecTest {

    @Test
    void encodesSendUrlToTheGoldenString() {
        assertThat(SendDataCodec.encode(Golden.sendUrl())).isEqualTo(Golden.read("send-url.txt"));
    }

    @Test
    void sendUrlCarriesTheDigestAsANewKeyAndStaysReadableWithoutIt() {
        String encoded = SendDataCodec.encode(Golden.sendUrlWithDigest());
        assertThat(encoded).isEqualTo(Golden.read("send-url-digest.txt"));
        String json = new String(Base64.getUrlDecoder().decode(encoded.substring("send-url:".length())),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"Digest\":\"" + Golden.DIGEST + "\"").contains("\"URL\":");
        assertThat(SendDataCodec.decode(encoded)).isEqualTo(Golden.sendUrlWithDigest());
        assertThat(((SendUrl) SendDataCodec.decode(Golden.read("send-url.txt"))).digest()).isNull();
    }

    @Test
    void sendUrlCarriesWhereToReportAMissingObjectAsANewKeyAndStaysReadableWithoutIt() {
        String encoded = SendDataCodec.encode(Golden.sendUrlReportingMissing());
        assertThat(encoded).isEqualTo(Golden.read("send-url-missing.txt"));
        String json = new String(Base64.getUrlDecoder().decode(encoded.substring("send-url:".length())),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"MissingUrl\":\"" + Golden.MISSING_URL + "\"")
                .contains("\"Digest\":\"" + Golden.DIGEST + "\"");
        assertThat(SendDataCodec.decode(encoded)).isEqualTo(Golden.sendUrlReportingMissing());
        assertThat(((SendUrl) SendDataCodec.decode(Golden.read("send-url-digest.txt"))).missingUrl()).isNull();
        assertThat(SendDataCodec.encode(Golden.sendUrlWithDigest())).as("absent, the key is not written")
                .isEqualTo(Golden.read("send-url-digest.txt"));
    }

    @Test
    void encodesSendDependencyToTheGoldenString() {
        assertThat(SendDataCodec.encode(Golden.sendDependency())).isEqualTo(Golden.read("send-dependency.txt"));
    }

    @Test
    void decodesTheGoldenStringsBackToTheSameValues() {
        assertThat(SendDataCodec.decode(Golden.read("send-url.txt"))).isEqualTo(Golden.sendUrl());
        assertThat(SendDataCodec.decode(Golden.read("send-dependency.txt"))).isEqualTo(Golden.sendDependency());
    }

    @Test
    void sendDependencyCarriesItsCapAsANewKeyAndHasNoneWithoutIt() {
        String encoded = Golden.read("send-dependency.txt");
        String json = new String(Base64.getUrlDecoder().decode(encoded.substring("send-dependency:".length())),
                StandardCharsets.UTF_8);
        assertThat(json).contains("\"MaximumSize\":5368709120");
        SendDependency capped = (SendDependency) SendDataCodec.decode(encoded);
        assertThat(capped.maximumSize()).isEqualTo(5L * 1024 * 1024 * 1024);
        assertThat(capped.exceedsMaximumSize(capped.maximumSize())).isFalse();
        assertThat(capped.exceedsMaximumSize(capped.maximumSize() + 1)).isTrue();

        // what a control plane older than the key sends: no cap at all
        SendDependency older = (SendDependency) SendDataCodec.decode("send-dependency:" + b64(
                "{\"Url\":\"http://u/v2/a/blobs/x\",\"UploadConfig\":{\"Url\":\"/u\"}}"));
        assertThat(older.maximumSize()).isNull();
        assertThat(older.exceedsMaximumSize(Long.MAX_VALUE)).isFalse();
        String reencoded = SendDataCodec.encode(older);
        assertThat(new String(Base64.getUrlDecoder().decode(reencoded.substring("send-dependency:".length())),
                StandardCharsets.UTF_8)).doesNotContain("MaximumSize");
    }

    @Test
    void sendDependencyNamesItsUpstreamAsANewKeyAndIsUnknownWithoutIt() {
        String encoded = SendDataCodec.encode(Golden.sendDependencyFromUpstream());
        assertThat(encoded).isEqualTo(Golden.read("send-dependency-upstream.txt"));
        String json = new String(Base64.getUrlDecoder().decode(encoded.substring("send-dependency:".length())),
                StandardCharsets.UTF_8);
        assertThat(json).endsWith(",\"MaximumSize\":5368709120,\"UpstreamName\":\"docker.io\"}");
        SendDependency named = (SendDependency) SendDataCodec.decode(encoded);
        assertThat(named).isEqualTo(Golden.sendDependencyFromUpstream());
        assertThat(named.upstreamLabel()).isEqualTo("docker.io");

        // what a control plane older than the key sends: counted under "unknown", and the key is not written back
        SendDependency older = (SendDependency) SendDataCodec.decode(Golden.read("send-dependency.txt"));
        assertThat(older.upstreamName()).isNull();
        assertThat(older.upstreamLabel()).isEqualTo(SendDependency.UNKNOWN_UPSTREAM).isEqualTo("unknown");
        assertThat(SendDataCodec.encode(older)).isEqualTo(Golden.read("send-dependency.txt"));
        assertThat(Golden.sendDependency().withUpstreamName(" ").upstreamLabel()).isEqualTo("unknown");
    }

    @Test
    void encodesSendPeerToTheGoldenStringAndBack() {
        String encoded = SendDataCodec.encode(Golden.sendPeer());
        assertThat(encoded).isEqualTo(Golden.read("send-peer.txt"));
        SendPeer decoded = (SendPeer) SendDataCodec.decode(encoded);
        assertThat(decoded).isEqualTo(Golden.sendPeer());
        assertThat(SendDataCodec.prefixOf(decoded)).isEqualTo("send-peer");
        String json = new String(Base64.getUrlDecoder().decode(encoded.substring("send-peer:".length())),
                StandardCharsets.UTF_8);
        assertThat(json).as("the secret never travels in the injection: the accelerator signs its own call")
                .contains("\"Header\":{}").doesNotContain("Gitlab-Workhorse-Api-Request");
    }

    @Test
    void sendPeerWithoutSizeOrReportAddressIsReadable() {
        SendPeer minimal = (SendPeer) SendDataCodec.decode("send-peer:" + b64(
                "{\"Url\":\"http://10.0.0.9:8090/-/peer/fetches?key=k\",\"Digest\":\"" + Golden.DIGEST + "\"}"));
        assertThat(minimal.size()).isNull();
        assertThat(minimal.peerGoneUrl()).isNull();
        assertThat(minimal.header().isEmpty()).isTrue();
        assertThat(minimal.responseHeaders().isEmpty()).isTrue();
    }

    @Test
    void usesPaddedBase64UrlLikeRails() {
        String payload = Golden.read("send-dependency.txt").substring("send-dependency:".length());
        assertThat(payload).doesNotContain("+", "/");
        assertThat(payload.length() % 4).isZero();
    }

    @Test
    void decodesKeysCaseInsensitivelyAndIgnoresUnknownKeys() {
        String json = "{\"url\":\"http://up.example/v2/a/blobs/x\",\"HEADERS\":{\"Accept\":[\"*/*\"]},"
                + "\"uploadconfig\":{\"url\":\"/v2/g/dependency_proxy/containers/a/blobs/x/upload\"},"
                + "\"SSRFFilter\":false,\"AllowLocalhost\":true}";
        Injection injection = SendDataCodec.decode("send-dependency:" + b64(json));
        assertThat(injection).isInstanceOfSatisfying(SendDependency.class, dep -> {
            assertThat(dep.url()).isEqualTo("http://up.example/v2/a/blobs/x");
            assertThat(dep.headers().first("accept")).isEqualTo("*/*");
            assertThat(dep.uploadConfig().method()).isEqualTo("POST");
            assertThat(dep.uploadConfig().authorizeUrl()).endsWith("/upload/authorize");
        });
    }

    @Test
    void acceptsGitLabSendUrlWithoutOurExtensions() {
        String json = "{\"URL\":\"https://s3/x\",\"AllowRedirects\":false,\"Body\":\"\",\"Header\":{},\"Method\":\"GET\"}";
        SendUrl sendUrl = (SendUrl) SendDataCodec.decode("send-url:" + b64(json));
        assertThat(sendUrl.redirect()).isFalse();
        assertThat(sendUrl.responseHeaders().isEmpty()).isTrue();
    }

    record Case(String name, String header, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> malformed() {
        return Stream.of(
                new Case("no prefix", "eyJ9", "no prefix"),
                new Case("unknown prefix", "git-blob:" + b64("{}"), "unknown send-data prefix"),
                new Case("bad base64", "send-url:%%%", "not base64url"),
                new Case("not json", "send-url:" + b64("nope"), "invalid JSON"),
                new Case("relative upstream url", "send-dependency:" + b64("{\"Url\":\"/v2/x\",\"UploadConfig\":{\"Url\":\"/u\"}}"), "absolute"),
                new Case("ftp url", "send-url:" + b64("{\"URL\":\"ftp://x/y\"}"), "absolute"),
                new Case("missing upload config", "send-dependency:" + b64("{\"Url\":\"http://u/v2/x\"}"), "UploadConfig"),
                new Case("upload method DELETE", "send-dependency:" + b64("{\"Url\":\"http://u/x\",\"UploadConfig\":{\"Method\":\"DELETE\",\"Url\":\"/u\"}}"), "POST or PUT"),
                new Case("missing url on another host", "send-url:" + b64("{\"URL\":\"http://s3/x\",\"MissingUrl\":\"http://elsewhere/r\"}"), "MissingUrl must be an absolute path"),
                new Case("missing url network path", "send-url:" + b64("{\"URL\":\"http://s3/x\",\"MissingUrl\":\"//elsewhere/r\"}"), "MissingUrl must be an absolute path"),
                new Case("relative missing url", "send-url:" + b64("{\"URL\":\"http://s3/x\",\"MissingUrl\":\"r?key=x\"}"), "MissingUrl must be an absolute path"),
                new Case("bad send-url digest", "send-url:" + b64("{\"URL\":\"http://s3/x\",\"Digest\":\"sha256:XY\"}"), "Digest"),
                new Case("negative cap", "send-dependency:" + b64("{\"Url\":\"http://u/x\",\"UploadConfig\":{\"Url\":\"/u\"},\"MaximumSize\":-1}"), "MaximumSize"),
                new Case("cap not a number", "send-dependency:" + b64("{\"Url\":\"http://u/x\",\"UploadConfig\":{\"Url\":\"/u\"},\"MaximumSize\":\"big\"}"), "invalid JSON"),
                new Case("upstream name too long", "send-dependency:" + b64("{\"Url\":\"http://u/x\",\"UploadConfig\":{\"Url\":\"/u\"},\"UpstreamName\":\"" + "u".repeat(256) + "\"}"), "UpstreamName"),
                new Case("send-peer without digest", "send-peer:" + b64("{\"Url\":\"http://p:8090/x\"}"), "send-peer Digest"),
                new Case("send-peer relative url", "send-peer:" + b64("{\"Url\":\"/x\",\"Digest\":\"" + Golden.DIGEST + "\"}"), "send-peer Url"),
                new Case("send-peer negative size", "send-peer:" + b64("{\"Url\":\"http://p/x\",\"Digest\":\"" + Golden.DIGEST + "\",\"Size\":-2}"), "Size"),
                new Case("send-peer report on another host", "send-peer:" + b64("{\"Url\":\"http://p/x\",\"Digest\":\"" + Golden.DIGEST + "\",\"PeerGoneUrl\":\"http://evil/r\"}"), "PeerGoneUrl must be an absolute path"),
                new Case("bad digest", "send-dependency:" + b64("{\"Url\":\"http://u/x\",\"UploadConfig\":{\"Url\":\"/u\"},\"Digest\":\"md5:00\"}"), "Digest"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void rejectsMalformedHeaders(Case c) {
        assertThatThrownBy(() -> SendDataCodec.decode(c.header()))
                .isInstanceOf(MalformedInjectionException.class)
                .hasMessageContaining(c.messagePart());
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
