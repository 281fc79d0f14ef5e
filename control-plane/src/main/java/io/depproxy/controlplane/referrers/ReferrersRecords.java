package io.depproxy.controlplane.referrers;

import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.domain.ReferrersIndexRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The last good referrers index of each subject, kept in the database so that every replica, also after a restart,
 * answers it when the upstream fails (a replica's memory only holds an answer for {@code DP_TAGS_CACHE_TTL}). A fresh
 * answer is written only when it differs from the stored one or that one is older than {@link #refreshAfter()}, so
 * a hot route adds no write per request; an index over {@link #MAX_STORED_BYTES} is not stored (and logged). The
 * database failing never fails an answer: the write is skipped, the read finds nothing (both logged).
 */
@ApplicationScoped
public class ReferrersRecords {
    /** The largest index kept (its JSON); the upstream client reads no larger answer either. */
    public static final int MAX_STORED_BYTES = 4 * 1024 * 1024;
    /** An unchanged index's row is refreshed at most this often (or every {@code DP_TAGS_CACHE_TTL}, if longer). */
    static final Duration REFRESH_FLOOR = Duration.ofMinutes(10);

    @Inject
    ReferrersIndexRepository rows;
    @Inject
    HotPathConfig config;

    /** Stores {@code index}, as {@code upstreamId} answered it now, as the subject's last good index in the group. */
    public void remember(long groupId, long upstreamId, String image, String digest, ReferrersIndex index) {
        String json = index.body();
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_STORED_BYTES) {
            Log.warnf("referrers: the index of %s@%s in group %d is %d bytes, over the %d kept in the database;"
                    + " not stored, so no other replica or restart can answer it while the upstream fails",
                    image, digest, groupId, bytes, MAX_STORED_BYTES);
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() ->
                    rows.store(groupId, upstreamId, image, digest, json, refreshAfter().toSeconds()));
        } catch (RuntimeException e) {
            Log.warnf(e, "referrers: storing the index of %s@%s in group %d failed", image, digest, groupId);
        }
    }

    /** The subject's last good index in the group, as any replica stored it; empty when none (or unreadable). */
    public Optional<ReferrersIndex> lastGood(long groupId, String image, String digest) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> rows.newest(groupId, image, digest))
                    .flatMap(ReferrersIndex::parse);
        } catch (RuntimeException e) {
            Log.warnf(e, "referrers: reading the last good index of %s@%s in group %d failed", image, digest, groupId);
            return Optional.empty();
        }
    }

    private Duration refreshAfter() {
        Duration memory = config.tagsCacheTtl();
        return memory.compareTo(REFRESH_FLOOR) > 0 ? memory : REFRESH_FLOOR;
    }
}
