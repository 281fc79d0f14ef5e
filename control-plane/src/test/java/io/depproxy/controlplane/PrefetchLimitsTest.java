package io.depproxy.controlplane;

import static org.awaitility.Awaitility.await;
import static io.depproxy.controlplane.support.AdminApi.asAdmin;
import static io.depproxy.controlplane.support.TestApi.createGroup;
import static io.depproxy.controlplane.support.TestApi.unique;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.depproxy.controlplane.support.ControlPlaneTestResources;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Prefetch jobs run on a bounded pool ({@code DP_PREFETCH_THREADS}=2 here) with a bounded queue
 * ({@code DP_PREFETCH_MAX_QUEUED}=1), and a group has at most {@code DP_PREFETCH_MAX_RUNNING_PER_GROUP}=2 unfinished
 * jobs. The jobs pull from a registry that holds every request until the test lets one through, so which jobs run is
 * seen at that registry.
 */
@QuarkusTest
@WithTestResource(ControlPlaneTestResources.class)
@TestProfile(PrefetchLimitsTest.Limits.class)
class PrefetchLimitsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("dp.prefetch.pull-url", HeldRegistry.shared().baseUrl(),
                    "dp.prefetch.threads", "2",
                    "dp.prefetch.max-queued", "1",
                    "dp.prefetch.max-running-per-group", "2");
        }
    }

    @AfterAll
    static void letEverythingThrough() {
        HeldRegistry.shared().open();
    }

    private static Response start(String group, String image) {
        return asAdmin().contentType("application/json").body(Map.of("images", List.of(image)))
                .post("/api/v4/groups/" + group + "/dependency_proxy/prefetch");
    }

    private static long started(String group, String image) {
        return start(group, image).then().statusCode(202).extract().jsonPath().getLong("id");
    }

    private static String status(String group, long jobId) {
        return asAdmin().get("/api/v4/groups/" + group + "/dependency_proxy/prefetch/" + jobId).then()
                .statusCode(200).extract().path("status");
    }

    @Test
    void jobsBeyondTheThreadsWaitAGroupBeyondItsLimitGets429AndAFullQueue503() {
        HeldRegistry registry = HeldRegistry.shared();
        String busy = unique("busy");
        String waiting = unique("waiting");
        String refused = unique("refused");
        for (String group : List.of(busy, waiting, refused)) {
            createGroup(group, null);
        }

        long first = started(busy, "one:1");
        long second = started(busy, "two:1");
        await("both jobs pulling").atMost(WAIT).until(() -> registry.held() == 2);
        assertThat(status(busy, first)).isEqualTo("running");
        assertThat(status(busy, second)).isEqualTo("running");

        start(busy, "three:1").then().statusCode(429).body("message", startsWith("429 Too Many Requests - the group"
                + " already has 2 unfinished prefetch jobs"));
        long queued = started(waiting, "four:1");
        start(refused, "five:1").then().statusCode(503)
                .body("message", equalTo("503 Service Unavailable - this replica's prefetch queue is full"
                        + " (DP_PREFETCH_MAX_QUEUED); try again later"));
        assertThat(status(waiting, queued)).isEqualTo("queued");
        assertThat(registry.requests()).hasSize(2);

        // one job ends (its pull answers 404): its thread takes the waiting job, and its group may start another
        registry.letOneThrough();
        await("the waiting job pulling").atMost(WAIT).until(() -> registry.requests().size() == 3);
        assertThat(registry.requests().get(2)).contains("/" + waiting + "/dependency_proxy/containers/four/");
        assertThat(registry.mostHeldAtOnce()).isEqualTo(2);
        assertThat(status(waiting, queued)).isEqualTo("running");
        await("the first job finished").atMost(WAIT)
                .until(() -> List.of(status(busy, first), status(busy, second)).contains("failed"));
        started(busy, "six:1");
        assertThat(asAdmin().get("/api/v4/groups/" + refused + "/dependency_proxy/prefetch/" + (queued + 1))
                .statusCode()).isEqualTo(404);
    }

    /** A registry on 127.0.0.1:0 that holds each request until let through, then answers 404. */
    static final class HeldRegistry {
        private static HeldRegistry shared;

        private final HttpServer server;
        private final Semaphore passes = new Semaphore(0);
        private final AtomicInteger held = new AtomicInteger();
        private final AtomicInteger mostHeld = new AtomicInteger();
        private final List<String> requests = new CopyOnWriteArrayList<>();

        private HeldRegistry() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", this::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
        }

        static synchronized HeldRegistry shared() {
            if (shared == null) {
                try {
                    shared = new HeldRegistry();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return shared;
        }

        String baseUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        int held() {
            return held.get();
        }

        int mostHeldAtOnce() {
            return mostHeld.get();
        }

        List<String> requests() {
            return List.copyOf(requests);
        }

        void letOneThrough() {
            passes.release();
        }

        void open() {
            passes.release(10_000);
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
                mostHeld.accumulateAndGet(held.incrementAndGet(), Math::max);
                try {
                    passes.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    held.decrementAndGet();
                }
                byte[] body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"held\"}]}".getBytes();
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(404, body.length);
                exchange.getResponseBody().write(body);
            }
        }
    }
}
