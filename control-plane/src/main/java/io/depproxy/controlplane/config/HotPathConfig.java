package io.depproxy.controlplane.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * What keeps cache hits cheap. Like {@link ControlPlaneConfig}, each key is found under its environment variable name
 * ({@code dp.decision-cache-ttl} ← {@code DP_DECISION_CACHE_TTL}).
 */
@ConfigMapping(prefix = "dp")
public interface HotPathConfig {
    /** The documented bound of {@link #decisionCacheTtl()}: a longer setting is cut to it. */
    Duration MAX_DECISION_CACHE_TTL = Duration.ofSeconds(5);

    /**
     * {@code DP_DECISION_CACHE_TTL}: how long a replica reuses a registry token's check against the database, a
     * group access decision (membership, deploy token, settings) and a servable manifest record. A revoked token, a
     * removed member, a changed setting and a purged manifest stop working on every replica within this time. At
     * most 5 s; 0 turns the caches off.
     */
    @WithDefault("5s")
    Duration decisionCacheTtl();

    /**
     * {@code DP_HIT_FLUSH_INTERVAL}: how often a replica writes the hits it coalesced in memory ({@code read_at} of
     * each record and the group statistics) in one transaction. Also written when the replica stops gracefully.
     */
    @WithDefault("2s")
    Duration hitFlushInterval();

    /** {@code DP_MANIFEST_MEMORY_MAX_BYTES}: manifest bodies kept in memory per replica (digest-verified); 0 = none. */
    @WithDefault("67108864")
    long manifestMemoryMaxBytes();

    /**
     * {@code DP_TAGS_CACHE_TTL}: how long a replica answers a repeated {@code tags/list} page from memory before it
     * asks the upstream again; 0 always asks. The last good page is kept beyond it, for when the upstream fails.
     * The referrers API uses the same window (its last good index is kept in the database).
     */
    @WithDefault("30s")
    Duration tagsCacheTtl();

    /** The decision cache's lifetime, never above {@link #MAX_DECISION_CACHE_TTL}. */
    default Duration boundedDecisionCacheTtl() {
        Duration ttl = decisionCacheTtl();
        return ttl.compareTo(MAX_DECISION_CACHE_TTL) > 0 ? MAX_DECISION_CACHE_TTL : ttl;
    }
}
