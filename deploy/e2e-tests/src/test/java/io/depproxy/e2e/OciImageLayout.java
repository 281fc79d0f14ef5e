package io.depproxy.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.depproxy.contracts.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/** Writes an OCI image layout with random layers, without Docker, for skopeo to push to the test upstream. */
final class OciImageLayout {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    record Descriptor(String mediaType, String digest, long size) {
    }

    /** One platform's image: the manifest descriptor and every blob it references (config first). */
    record Image(Descriptor manifest, List<Descriptor> blobs, String architecture) {
    }

    private final Path dir;
    private final Random random;

    OciImageLayout(Path dir, long seed) throws IOException {
        this.dir = dir;
        this.random = new Random(seed);
        Files.createDirectories(dir.resolve("blobs/sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    }

    /** A descriptor of {@code bytes} as JSON, for manifests and indexes a test writes by hand. */
    static ObjectNode descriptorJson(String mediaType, byte[] bytes) {
        return JSON.createObjectNode().put("mediaType", mediaType).put("digest", Digests.sha256(bytes))
                .put("size", bytes.length);
    }

    /** The layout's directory (what skopeo copies from as {@code oci:<dir>:<tag>}). */
    Path dir() {
        return dir;
    }

    /** A single-platform image whose layers hold the given numbers of random bytes. */
    Image image(String architecture, long... layerSizes) throws IOException {
        List<Descriptor> layers = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        List<Map<String, Object>> history = new ArrayList<>();
        for (int i = 0; i < layerSizes.length; i++) {
            String[] layer = writeLayer("layer-" + i + ".bin", layerSizes[i]);
            layers.add(new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer[0], Long.parseLong(layer[2])));
            diffIds.add(layer[1]);
            history.add(Map.of("created", "2026-01-01T00:00:00Z", "created_by", "e2e layer " + i));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("config", Map.of("Cmd", List.of("/bin/true")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        config.put("history", history);
        Descriptor configBlob = writeBlob("application/vnd.oci.image.config.v1+json", JSON.writeValueAsBytes(config));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MANIFEST);
        manifest.put("config", descriptorJson(configBlob, null));
        manifest.put("layers", layers.stream().map(l -> descriptorJson(l, null)).toList());
        Descriptor manifestBlob = writeBlob(MANIFEST, JSON.writeValueAsBytes(manifest));
        List<Descriptor> blobs = new ArrayList<>();
        blobs.add(configBlob);
        blobs.addAll(layers);
        return new Image(manifestBlob, blobs, architecture);
    }

    /** An image index over the given platform images. */
    Descriptor index(List<Image> images) throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", INDEX);
        index.put("manifests", images.stream()
                .map(i -> descriptorJson(i.manifest(), Map.of("architecture", i.architecture(), "os", "linux"))).toList());
        return writeBlob(INDEX, JSON.writeValueAsBytes(index));
    }

    /** Names {@code top} as {@code tag} in index.json (what {@code oci:DIR:tag} refers to). */
    void tag(String tag, Descriptor top) throws IOException {
        Map<String, Object> ref = new LinkedHashMap<>(descriptorJson(top, null));
        ref.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Path indexFile = dir.resolve("index.json");
        List<Object> manifests = new ArrayList<>();
        if (Files.exists(indexFile)) {
            manifests.addAll((List<?>) JSON.readValue(indexFile.toFile(), Map.class).get("manifests"));
        }
        manifests.add(ref);
        Files.write(indexFile, JSON.writeValueAsBytes(Map.of("schemaVersion", 2, "manifests", manifests)));
    }

    private Map<String, Object> descriptorJson(Descriptor d, Map<String, String> platform) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mediaType", d.mediaType());
        json.put("digest", d.digest());
        json.put("size", d.size());
        if (platform != null) {
            json.put("platform", platform);
        }
        return json;
    }

    private Descriptor writeBlob(String mediaType, byte[] bytes) throws IOException {
        String digest = Digests.sha256(bytes);
        Files.write(dir.resolve("blobs/sha256").resolve(Digests.hexOf(digest)), bytes);
        return new Descriptor(mediaType, digest, bytes.length);
    }

    /** Returns {digest of the gzip'd tar, diff_id, compressed size}. */
    private String[] writeLayer(String fileName, long contentSize) throws IOException {
        Path tmp = Files.createTempFile(dir, "layer", ".tgz");
        MessageDigest compressed = Digests.newSha256();
        MessageDigest uncompressed = Digests.newSha256();
        try (OutputStream file = new DigestOutputStream(Files.newOutputStream(tmp), compressed);
             OutputStream gzip = new FastGzip(file);
             OutputStream tar = new DigestOutputStream(gzip, uncompressed)) {
            TarWriter.writeSingleFile(tar, fileName, contentSize, random);
        }
        String digest = "sha256:" + HexFormat.of().formatHex(compressed.digest());
        long size = Files.size(tmp);
        Files.move(tmp, dir.resolve("blobs/sha256").resolve(Digests.hexOf(digest)));
        return new String[] {digest, "sha256:" + HexFormat.of().formatHex(uncompressed.digest()), Long.toString(size)};
    }

    Path blobPath(String digest) {
        return dir.resolve("blobs/sha256").resolve(Digests.hexOf(digest));
    }

    private static final class FastGzip extends GZIPOutputStream {
        FastGzip(OutputStream out) throws IOException {
            super(out, 1 << 16);
            def.setLevel(Deflater.BEST_SPEED);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
