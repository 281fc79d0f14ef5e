package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.catalog.GroupUpstreamService;
import io.depproxy.controlplane.domain.GroupUpstream;
import io.depproxy.controlplane.upstream.UpstreamChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream list that applies to a group: {@code inherited} when it comes from an ancestor ({@code source_group_id})
 * or is the default (no group has one); credentials per upstream, the secret only as {@code secret_set}.
 */
public record GroupUpstreamsView(
        @JsonProperty("inherited") boolean inherited,
        @JsonProperty("source_group_id") Long sourceGroupId,
        @JsonProperty("fallback_on_error") boolean fallbackOnError,
        @JsonProperty("upstreams") List<Entry> upstreams) {

    public record Entry(
            @JsonProperty("upstream_id") long upstreamId,
            @JsonProperty("name") String name,
            @JsonProperty("url") String url,
            @JsonProperty("position") int position,
            @JsonProperty("identity") String identity,
            @JsonProperty("secret_set") boolean secretSet) {
    }

    public static GroupUpstreamsView of(long groupId, GroupUpstreamService.Effective effective) {
        List<Entry> entries = new ArrayList<>();
        List<UpstreamChoice> order = effective.upstreams().order();
        for (int position = 0; position < order.size(); position++) {
            UpstreamChoice choice = order.get(position);
            GroupUpstream row = effective.entries().stream()
                    .filter(e -> e.getUpstreamId() == choice.endpoint().id()).findFirst().orElse(null);
            entries.add(new Entry(choice.endpoint().id(), choice.endpoint().name(), choice.endpoint().baseUrl(),
                    position, row == null ? null : row.getIdentity(), row != null && row.getEncryptedSecret() != null));
        }
        Long source = effective.definedBy();
        return new GroupUpstreamsView(source == null || source != groupId, source,
                effective.upstreams().fallbackOnError(), entries);
    }
}
