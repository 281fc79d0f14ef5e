package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code PUT /api/v4/groups/:id/dependency_proxy/upstreams}: the group's own list in order (empty: inherit again),
 * and whether an upstream error lets the next upstream answer.
 */
public record GroupUpstreamsRequest(
        @JsonProperty("upstream_ids") List<Long> upstreamIds,
        @JsonProperty("fallback_on_error") Boolean fallbackOnError) {
}
