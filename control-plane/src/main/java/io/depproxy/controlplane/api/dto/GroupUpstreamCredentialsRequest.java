package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code PUT /api/v4/groups/:id/dependency_proxy/upstreams/:upstream_id}: the group's credentials for one upstream of
 * its own list; {@code secret} is write-only; both empty clear them.
 */
public record GroupUpstreamCredentialsRequest(
        @JsonProperty("identity") String identity,
        @JsonProperty("secret") String secret) implements FormOrJsonRequest {
}
