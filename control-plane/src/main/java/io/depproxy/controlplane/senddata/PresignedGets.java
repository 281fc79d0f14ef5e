package io.depproxy.controlplane.senddata;

import io.depproxy.controlplane.storage.ObjectStorage;
import io.depproxy.controlplane.support.ShortLivedCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;

/**
 * Presigned GETs of stored objects, each valid {@link #EXPIRY}. Signing costs more than the rest of a hit, so a URL is
 * reused for {@link #REUSE} of that time: every URL handed out still has at least 14 minutes to run. Whether the
 * object may be served is decided before, on every request.
 */
@ApplicationScoped
public class PresignedGets {
    static final Duration EXPIRY = Duration.ofMinutes(15);
    static final Duration REUSE = Duration.ofMinutes(1);
    private static final int MAX_URLS = 10_000;

    @Inject
    ObjectStorage storage;

    private final ShortLivedCache<String, String> urls = new ShortLivedCache<>(REUSE, MAX_URLS);

    public String get(String objectKey) {
        return urls.get(objectKey, key -> Optional.of(storage.presignGet(key, EXPIRY))).orElseThrow();
    }
}
