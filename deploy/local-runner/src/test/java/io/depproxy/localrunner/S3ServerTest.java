package io.depproxy.localrunner;

import static org.assertj.core.api.Assertions.assertThat;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.Http;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3ServerTest {

    private static final byte[] CONTENT = "layer bytes \u2713".repeat(1000).getBytes(StandardCharsets.UTF_8);

    @Test
    void ephemeralServerStoresAndServesObjects() throws Exception {
        int port;
        try (S3Server s3 = S3Server.startEphemeral(); MinioClient client = client(s3)) {
            assertThat(s3.region()).isEqualTo("us-east-1");
            s3.createBucket("fixture-bucket");
            s3.createBucket("fixture-bucket");
            put(client, "fixture-bucket", "blobs/sha256/ab", CONTENT);

            assertThat(get(client, "fixture-bucket", "blobs/sha256/ab")).isEqualTo(CONTENT);

            String url = client.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder().method(Http.Method.GET)
                    .bucket("fixture-bucket").object("blobs/sha256/ab").expiry(5, TimeUnit.MINUTES).build());
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<byte[]> presigned = http.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(presigned.statusCode()).isEqualTo(200);
            assertThat(presigned.body()).isEqualTo(CONTENT);

            String tampered = url.replace("blobs/sha256/ab", "blobs/sha256/ac");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(tampered)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(403);
            port = s3.port();
        }
        assertThat(FreePorts.answers(port)).as("stopped on close").isFalse();
    }

    @Test
    void persistentServerKeepsObjectsAcrossRestart(@TempDir Path dir) throws Exception {
        int port;
        try (S3Server s3 = S3Server.startPersistent(dir, 0, "access-key-1", "secret-key-1");
             MinioClient client = client(s3)) {
            assertThat(s3.endpoint()).isEqualTo("http://127.0.0.1:" + s3.port());
            s3.createBucket("kept");
            put(client, "kept", "manifest", CONTENT);
            port = s3.port();
        }
        assertThat(FreePorts.answers(port)).isFalse();
        assertThat(dir.resolve("s3proxy.log")).exists();

        try (S3Server s3 = S3Server.startPersistent(dir, FreePorts.pick()); MinioClient client = client(s3)) {
            assertThat(get(client, "kept", "manifest")).isEqualTo(CONTENT);
        }
    }

    @Test
    void findsTheS3ProxyJar() {
        Path jar = S3ProxyJar.locate();
        assertThat(jar).isRegularFile();
        assertThat(jar.getFileName().toString()).endsWith(".jar");
    }

    @Test
    void ephemeralDirectoryIsRemovedOnClose(@TempDir Path dir) throws Exception {
        Path proxyDir = dir.resolve("throw-away");
        S3Server s3 = S3Server.startProxy(proxyDir, 0, "ak", "sk-sk-sk-sk", true, true);
        s3.createBucket("gone");
        s3.close();
        s3.close();
        assertThat(Files.exists(proxyDir)).isFalse();
    }

    static MinioClient client(S3Server s3) {
        return MinioClient.builder().endpoint(s3.endpoint()).credentials(s3.accessKey(), s3.secretKey())
                .region(s3.region()).build();
    }

    static void put(MinioClient client, String bucket, String object, byte[] content) throws Exception {
        client.putObject(PutObjectArgs.builder().bucket(bucket).object(object)
                .data(content, content.length).build());
    }

    static byte[] get(MinioClient client, String bucket, String object) throws Exception {
        try (GetObjectResponse response = client.getObject(
                GetObjectArgs.builder().bucket(bucket).object(object).build())) {
            return response.readAllBytes();
        }
    }
}
