package io.depproxy.controlplane.cache;

import io.depproxy.contracts.Digests;
import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.storage.StorageException;
import io.quarkus.logging.Log;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Manifest bodies in memory, keyed by digest: content-addressed, so an entry never goes stale (whether a record may
 * still be served is decided elsewhere). A body is read from object storage once and kept only if its length and
 * sha256 match the record; least recently used bodies go first once {@code DP_MANIFEST_MEMORY_MAX_BYTES} is reached.
 */
@ApplicationScoped
public class ManifestBodies {
    @Inject
    ObjectStorage storage;
    @Inject
    HotPathConfig hotPath;

    private final Map<String, byte[]> bodies = new LinkedHashMap<>(64, 0.75f, true);
    private long maxBytes;
    private long heldBytes;

    @PostConstruct
    void limits() {
        maxBytes = Math.max(0, hotPath.manifestMemoryMaxBytes());
    }

    /** The verified body of {@code manifest}, or empty when it cannot be had (then serve it from storage). */
    public Optional<byte[]> get(ServableManifest manifest) {
        if (manifest.size() > maxBytes || manifest.size() > Integer.MAX_VALUE) {
            return Optional.empty();
        }
        byte[] held = held(manifest.digest());
        if (held != null) {
            return Optional.of(held);
        }
        return load(manifest);
    }

    /** Whether this replica holds the verified body of {@code digest} (it can serve it without the object). */
    public boolean holds(String digest) {
        return held(digest) != null;
    }

    private Optional<byte[]> load(ServableManifest manifest) {
        Optional<byte[]> read;
        try {
            read = storage.read(manifest.objectKey(), (int) manifest.size());
        } catch (StorageException e) {
            Log.warnf("manifest %s not read into memory: %s", manifest.digest(), e.getMessage());
            return Optional.empty();
        }
        if (read.isEmpty()) {
            return Optional.empty();
        }
        byte[] body = read.get();
        if (body.length != manifest.size() || !manifest.digest().equals(Digests.sha256(body))) {
            Log.errorf("manifest object %s does not hash to %s: not served from memory", manifest.objectKey(),
                    manifest.digest());
            return Optional.empty();
        }
        keep(manifest.digest(), body);
        return Optional.of(body);
    }

    private synchronized byte[] held(String digest) {
        return bodies.get(digest);
    }

    private synchronized void keep(String digest, byte[] body) {
        byte[] previous = bodies.put(digest, body);
        heldBytes += body.length - (previous == null ? 0 : previous.length);
        var eldest = bodies.entrySet().iterator();
        while (heldBytes > maxBytes && eldest.hasNext()) {
            heldBytes -= eldest.next().getValue().length;
            eldest.remove();
        }
    }
}
