package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.GroupStatisticsRepository;

/**
 * A group's cache: servable records and their bytes now, and counters since the group was created (GET pulls:
 * hits and the bytes they served, misses, and the bytes fetched from the upstream and stored).
 */
public record StatisticsView(
        @JsonProperty("manifest_count") long manifestCount,
        @JsonProperty("blob_count") long blobCount,
        @JsonProperty("total_size_bytes") long totalSizeBytes,
        @JsonProperty("cache_hits") long cacheHits,
        @JsonProperty("cache_misses") long cacheMisses,
        @JsonProperty("bytes_served_from_cache") long bytesServedFromCache,
        @JsonProperty("bytes_fetched_upstream") long bytesFetchedUpstream) {

    public static StatisticsView of(GroupStatisticsRepository.Stored stored, GroupStatisticsRepository.Counters c) {
        return new StatisticsView(stored.manifests(), stored.blobs(), stored.totalBytes(), c.hits(), c.misses(),
                c.bytesServedFromCache(), c.bytesFetchedUpstream());
    }
}
