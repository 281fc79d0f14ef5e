package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.GroupUpstream;
import io.depproxy.controlplane.upstream.GroupUpstreamService;
import io.depproxy.controlplane.upstream.UpstreamChoice;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import java.util.ArrayList;
import java.util.List;

/**
 * The upstream list that applies to a group: {@code inherited} when it comes from an ancestor ({@code source_group_id})
 * or is the default (no group has one); credentials per upstream, the secret only as {@code secret_set}.
 * {@code open_upstreams}: the upstreams open to all groups, which the group may pull by name (and its owners may add
 * to its list) besides its own.
 */
public record GroupUpstreamsView(
        @JsonProperty("inherited") boolean inherited,
        @JsonProperty("source_group_id") Long sourceGroupId,
        @JsonProperty("fallback_on_error") boolean fallbackOnError,
        @JsonProperty("fallback_on_auth_error") boolean fallbackOnAuthError,
        @JsonProperty("upstreams") List<Entry> upstreams,
        @JsonProperty("open_upstreams") List<OpenUpstream> openUpstreams) {

    public record Entry(
            @JsonProperty("upstream_id") long upstreamId,
            @JsonProperty("name") String name,
            @JsonProperty("url") String url,
            @JsonProperty("position") int position,
            @JsonProperty("identity") String identity,
            @JsonProperty("secret_set") boolean secretSet,
            @JsonProperty("open_to_all_groups") boolean openToAllGroups) {
    }

    public record OpenUpstream(
            @JsonProperty("upstream_id") long upstreamId,
            @JsonProperty("name") String name) {
    }

    public static GroupUpstreamsView of(long groupId, GroupUpstreamService.Effective effective,
                                        List<UpstreamEndpoint> open) {
        List<Entry> entries = new ArrayList<>();
        List<UpstreamChoice> order = effective.upstreams().order();
        for (int position = 0; position < order.size(); position++) {
            UpstreamChoice choice = order.get(position);
            GroupUpstream row = effective.entries().stream()
                    .filter(e -> e.getUpstreamId() == choice.endpoint().id()).findFirst().orElse(null);
            entries.add(new Entry(choice.endpoint().id(), choice.endpoint().name(), choice.endpoint().baseUrl(),
                    position, row == null ? null : row.getIdentity(), row != null && row.getEncryptedSecret() != null,
                    choice.endpoint().openToAllGroups()));
        }
        Long source = effective.definedBy();
        return new GroupUpstreamsView(source == null || source != groupId, source,
                effective.upstreams().fallbackOnError(), effective.upstreams().fallbackOnAuthError(), entries,
                open.stream().map(upstream -> new OpenUpstream(upstream.id(), upstream.name())).toList());
    }
}
