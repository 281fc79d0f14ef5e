package io.depproxy.e2e;

import static io.depproxy.e2e.E2e.CREDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hostile upstream registry behind the whole stack: it serves a real image manifest but answers every blob GET
 * (and one tag's manifest) with a redirect to the control plane's internal {@code /-/metrics}. skopeo's pull fails
 * and a plain HTTP client gets 502 UNAVAILABLE saying an outbound destination was refused: no client ever receives
 * the metrics text, and nothing is stored.
 */
class HostileUpstreamIT {
    private static final String REFUSED = "an outbound destination was refused by policy";
    private static final Pattern OBJECT = Pattern.compile("/v2/(.+)/(manifests|blobs)/([^/]+)");
    @RegisterExtension
    static final E2e e2e = new E2e();
    private static OciImageLayout layout;
    private static OciImageLayout.Image image;
    private static HttpServer hostile;
    private static ProxyStack stack;

    @BeforeAll
    static void startEverything() throws Exception {
        layout = new OciImageLayout(e2e.dir("layout"), 7);
        image = layout.image("amd64", 4_096);
        hostile = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hostile.createContext("/", HostileUpstreamIT::answer);
        hostile.start();
        e2e.closeAtEnd(() -> hostile.stop(0));
        stack = e2e.stackBehind("http://127.0.0.1:" + hostile.getAddress().getPort());
    }

    @Test
    void aBlobRedirectedToTheControlPlanesMetricsIsRefused() throws Exception {
        long groupId = stack.createGroup("hostile");
        String ref = stack.hostPort() + "/hostile/dependency_proxy/containers/app";
        assertThat(metricsText()).as("what a redirect would leak if it were followed").contains("# TYPE");

        ExternalCommand.Result pull = Skopeo.pull(ref + ":v1", CREDS, e2e.dir("pulled"));
        HttpResponse<String> blob = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN)
                .get("/v2/hostile/dependency_proxy/containers/app/blobs/" + image.blobs().get(0).digest(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(pull.exitCode()).isNotZero();
        assertThat(pull.output()).doesNotContain("# TYPE", "# HELP");
        assertThat(blob.statusCode()).isEqualTo(502);
        assertThat(blob.body()).contains("UNAVAILABLE", REFUSED).doesNotContain("# TYPE", "# HELP", "127.0.0.1");
        for (Path file : ProxyStack.filesUnder(e2e.dir("pulled"))) {
            assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1)).doesNotContain("# TYPE");
        }
        assertThat(stack.storedObjects("dependency_proxy/" + groupId + "/blobs")).isEmpty();
    }

    @Test
    void aManifestRedirectedToTheControlPlanesMetricsIsRefused() throws Exception {
        stack.createGroup("hostile-tag");
        RegistryHttp client = new RegistryHttp(stack.url(), "root", ProxyStack.ADMIN_TOKEN);

        HttpResponse<String> manifest = client.get("/v2/hostile-tag/dependency_proxy/containers/app/manifests/"
                + "to-metrics", HttpResponse.BodyHandlers.ofString());

        assertThat(manifest.statusCode()).isEqualTo(502);
        assertThat(manifest.body()).contains(REFUSED).doesNotContain("# TYPE", "# HELP");
    }

    private static String metricsText() throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + stack.controlPlanePort() + "/-/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** /v2/ open; tag v1 (and its digest) is the image's manifest; any other tag and every blob: 307 to metrics. */
    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher object = OBJECT.matcher(path);
            String metrics = "http://127.0.0.1:" + stack.controlPlanePort() + "/-/metrics";
            boolean ourManifest = object.matches() && object.group(2).equals("manifests")
                    && List.of("v1", image.manifest().digest()).contains(object.group(3));
            if (path.equals("/v2/")) {
                send(exchange, 200, "application/json", "{}".getBytes(), null);
            } else if (ourManifest) {
                byte[] bytes = Files.readAllBytes(layout.blobPath(image.manifest().digest()));
                send(exchange, 200, image.manifest().mediaType(), bytes, image.manifest().digest());
            } else if (object.matches()) {
                exchange.getResponseHeaders().set("Location", metrics);
                exchange.sendResponseHeaders(307, -1);
            } else {
                send(exchange, 404, "application/json", "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}".getBytes(), null);
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body, String digest)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (digest != null) {
            exchange.getResponseHeaders().set("Docker-Content-Digest", digest);
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
