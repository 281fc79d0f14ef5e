package io.depproxy.controlplane.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.depproxy.controlplane.domain.Group;
import java.net.URI;

/** A group as the GitLab groups API shows it, plus the image prefix clients pull through. */
public record GroupView(
        @JsonProperty("id") long id,
        @JsonProperty("name") String name,
        @JsonProperty("path") String path,
        @JsonProperty("full_path") String fullPath,
        @JsonProperty("parent_id") Long parentId,
        @JsonProperty("visibility") String visibility,
        @JsonProperty("web_url") String webUrl,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("dependency_proxy_image_prefix") String dependencyProxyImagePrefix) {

    public static GroupView of(Group group, String externalUrl) {
        String base = externalUrl.replaceAll("/+$", "");
        URI uri = URI.create(base);
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        return new GroupView(group.getId(), group.getName(), group.getPath(), group.getFullPath(), group.getParentId(),
                "private", base + "/groups/" + group.getFullPath(),
                group.getCreatedAt() == null ? null : group.getCreatedAt().toString(),
                host + "/" + group.getFullPath() + "/dependency_proxy/containers");
    }
}
