package io.depproxy.localrunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.minio.BucketExistsArgs;
import io.minio.MinioClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole runner with real PostgreSQL and S3Proxy, and {@link FakeService} jars standing in for the services. */
class LocalRunnerTest {

    @TempDir
    Path dir;

    @Test
    void startsEverythingPassesTheEnvironmentAndKeepsStateAcrossRestarts() throws Exception {
        Map<String, String> env = baseEnv();
        env.put("DP_UPSTREAM_URL", "http://127.0.0.1:1/upstream");
        int httpPort = Integer.parseInt(env.get("DP_HTTP_PORT"));

        Properties first = runOnce(env, httpPort, true);
        assertThat(first.getProperty("DP_UPSTREAM_URL")).isEqualTo("http://127.0.0.1:1/upstream");
        assertThat(first.getProperty("DP_DB_URL")).startsWith("jdbc:postgresql://127.0.0.1:");
        assertThat(first.getProperty("DP_S3_ENDPOINT")).startsWith("http://127.0.0.1:");
        assertThat(first.getProperty("DP_S3_BUCKET")).isEqualTo("dependency-proxy");
        assertThat(first.getProperty("DP_S3_REGION")).isEqualTo("us-east-1");
        assertThat(first.getProperty("DP_ADMIN_TOKEN")).matches("dpat-[A-Za-z0-9_-]{32}");
        assertThat(first.getProperty("DP_INTERNAL_SECRET_FILE")).isEqualTo(data().resolve("internal-secret").toString());
        assertThat(first.getProperty("DP_JWT_PRIVATE_KEY_FILE")).isEqualTo(data().resolve("jwt-private-key.pem").toString());
        assertThat(first.getProperty("DP_CONTROL_PLANE_URL")).isEqualTo("http://127.0.0.1:" + env.get("DP_CONTROL_PLANE_PORT"));
        assertThat(first.getProperty("DP_EXTERNAL_URL")).isEqualTo("http://localhost:" + httpPort);
        assertThat(first.getProperty("DP_SPOOL_DIR")).isEqualTo(data().resolve("spool").toString());
        assertThat(first.getProperty("DP_LOG_FORMAT")).isEqualTo("text");
        assertThat(data().resolve("spool")).isDirectory();
        assertThat(data().resolve("postgres.log")).exists();
        assertThat(FreePorts.answers(httpPort)).as("services stopped").isFalse();

        Properties second = runOnce(env, httpPort, false);
        for (String kept : new String[] {"DP_ADMIN_TOKEN", "DP_S3_ACCESS_KEY", "DP_S3_SECRET_KEY", "DP_DB_URL",
                "DP_S3_ENDPOINT", "DP_INTERNAL_SECRET_FILE"}) {
            assertThat(second.getProperty(kept)).as(kept).isEqualTo(first.getProperty(kept));
        }
    }

    @Test
    void serviceThatExitsEarlyFailsTheStartAndStopsTheRest() throws Exception {
        Map<String, String> env = baseEnv();
        RunnerSettings settings = RunnerSettings.resolve(new String[] {
                "--control-plane-jar", fakeJar("crash").toString(),
                "--accelerator-jar", fakeJar("accelerator").toString()}, env, new Properties(), dir);
        LocalRunner runner = new LocalRunner(settings, new PrintStream(new ByteArrayOutputStream(), true));
        try {
            assertThatThrownBy(runner::start).hasMessageContaining("control-plane exited with code 3");
        } finally {
            runner.stop();
        }
        int postgresPort = Integer.parseInt(Files.readString(data().resolve("postgres.port")).trim());
        assertThat(FreePorts.answers(postgresPort)).as("PostgreSQL stopped").isFalse();
    }

    @Test
    void missingArtifactIsReportedBeforeAnythingStarts() {
        RunnerSettings settings = RunnerSettings.resolve(new String[0], baseEnv(), new Properties(), dir);
        LocalRunner runner = new LocalRunner(settings, System.err);
        assertThatThrownBy(runner::start).hasMessageContaining("control-plane is not built");
        assertThat(data()).doesNotExist();
    }

    private Properties runOnce(Map<String, String> env, int httpPort, boolean firstRun) throws Exception {
        RunnerSettings settings = RunnerSettings.resolve(new String[] {
                "--control-plane-jar", fakeJar("control-plane").toString(),
                "--accelerator-jar", fakeJar("accelerator").toString()}, env, new Properties(), dir);
        ByteArrayOutputStream banner = new ByteArrayOutputStream();
        LocalRunner runner = new LocalRunner(settings, new PrintStream(banner, true, StandardCharsets.UTF_8));
        try {
            runner.start();
            Properties seen = new Properties();
            seen.load(new StringReader(get("http://127.0.0.1:" + httpPort + "/env")));
            assertThat(seen).isEqualTo(dpOnly(ServiceEnvironment.forAccelerator(runner.serviceEnvironment())));
            assertThat(runner.serviceEnvironment().get("DP_ENCRYPTION_KEY_FILE"))
                    .as("the control plane's encryption key").isEqualTo(data().resolve("encryption-key").toString());
            assertThat(seen).as("the accelerator never gets the encryption key")
                    .doesNotContainKeys("DP_ENCRYPTION_KEY_FILE", "DP_ENCRYPTION_KEY");
            assertThat(get("http://127.0.0.1:" + httpPort + "/jvm"))
                    .isEqualTo(String.join(" ", LocalRunner.ACCELERATOR_JVM));
            String printed = banner.toString(StandardCharsets.UTF_8);
            assertThat(printed).contains("localhost:" + httpPort + "/<group>/dependency_proxy/containers/",
                    seen.getProperty("DP_ADMIN_TOKEN"), "docker login localhost:" + httpPort,
                    "-X POST http://localhost:" + httpPort + "/api/v4/groups");
            try (Connection connection = DriverManager.getConnection(seen.getProperty("DP_DB_URL"),
                    seen.getProperty("DP_DB_USER"), seen.getProperty("DP_DB_PASSWORD"));
                 Statement statement = connection.createStatement()) {
                if (firstRun) {
                    statement.execute("create table marker (value text)");
                    statement.execute("insert into marker values ('first run')");
                }
                try (ResultSet result = statement.executeQuery("select value from marker")) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getString(1)).isEqualTo("first run");
                }
            }
            try (MinioClient client = MinioClient.builder().endpoint(seen.getProperty("DP_S3_ENDPOINT"))
                    .credentials(seen.getProperty("DP_S3_ACCESS_KEY"), seen.getProperty("DP_S3_SECRET_KEY"))
                    .region("us-east-1").build()) {
                assertThat(client.bucketExists(BucketExistsArgs.builder().bucket("dependency-proxy").build())).isTrue();
                if (firstRun) {
                    S3ServerTest.put(client, "dependency-proxy", "kept", new byte[] {1, 2, 3});
                }
                assertThat(S3ServerTest.get(client, "dependency-proxy", "kept")).containsExactly(1, 2, 3);
            }
            return seen;
        } finally {
            runner.stop();
        }
    }

    private Map<String, String> baseEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DP_DATA_DIR", data().toString());
        env.put("DP_HTTP_PORT", Integer.toString(FreePorts.pick()));
        env.put("DP_CONTROL_PLANE_PORT", Integer.toString(FreePorts.pick()));
        return env;
    }

    private Path data() {
        return dir.resolve("dp-data");
    }

    private static Map<String, String> dpOnly(Map<String, String> env) {
        Map<String, String> dp = new HashMap<>();
        env.forEach((name, value) -> {
            if (name.startsWith("DP_")) {
                dp.put(name, value);
            }
        });
        return dp;
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private Path fakeJar(String role) throws IOException {
        Path jar = dir.resolve("fake-" + role + ".jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeService.class.getName());
        manifest.getMainAttributes().putValue("Fake-Role", role);
        String entry = FakeService.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             InputStream in = FakeService.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }
}
