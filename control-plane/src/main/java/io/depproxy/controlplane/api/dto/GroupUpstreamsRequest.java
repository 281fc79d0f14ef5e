package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code PUT /api/v4/groups/:id/dependency_proxy/upstreams}: the group's own list in order (empty: inherit again),
 * whether an upstream error lets the next upstream answer, and whether a 401/403 does ({@code fallback_on_auth_error},
 * off by default: a public registry could then answer for a private one whose credentials failed).
 */
public record GroupUpstreamsRequest(
        @JsonProperty("upstream_ids") List<Long> upstreamIds,
        @JsonProperty("fallback_on_error") Boolean fallbackOnError,
        @JsonProperty("fallback_on_auth_error") Boolean fallbackOnAuthError) implements FormOrJsonRequest {
}
