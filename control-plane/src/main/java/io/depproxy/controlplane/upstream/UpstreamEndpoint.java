package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.outbound.Origin;

/**
 * One upstream registry as pulls use it: its base URL (no trailing slash), the namespace added to one-component
 * image names, and its own credentials (null = anonymous). {@code manifestRevalidateAfter}: seconds, or null.
 * {@code openToAllGroups}: every group may pull from it by name, not only the groups whose list names it.
 */
public record UpstreamEndpoint(long id, String name, String baseUrl, String singleNamePrefix,
                               UpstreamCredentials credentials, Integer manifestRevalidateAfter, boolean isDefault,
                               boolean openToAllGroups) {

    /** An upstream only the groups whose list names it may use. */
    public UpstreamEndpoint(long id, String name, String baseUrl, String singleNamePrefix,
                            UpstreamCredentials credentials, Integer manifestRevalidateAfter, boolean isDefault) {
        this(id, name, baseUrl, singleNamePrefix, credentials, manifestRevalidateAfter, isDefault, false);
    }

    /** {@code alpine} → {@code library/alpine} when a prefix is set; names with a slash stay as they are. */
    public String upstreamName(String image) {
        return image.contains("/") || singleNamePrefix.isEmpty() ? image : singleNamePrefix + "/" + image;
    }

    /** Where its own origin is: the one internal destination its calls may reach without DP_OUTBOUND_ALLOW. */
    public Origin origin() {
        return Origin.of(baseUrl);
    }

    public String manifestUrl(String upstreamName, String reference) {
        return baseUrl + "/v2/" + upstreamName + "/manifests/" + reference;
    }

    public String blobUrl(String upstreamName, String digest) {
        return baseUrl + "/v2/" + upstreamName + "/blobs/" + digest;
    }

    public String tagsUrl(String upstreamName) {
        return baseUrl + "/v2/" + upstreamName + "/tags/list";
    }

    /** The revalidation window a group of {@code groupWindow} seconds gets for tags of this upstream. */
    public int revalidateAfter(int groupWindow) {
        return manifestRevalidateAfter == null ? groupWindow : Math.max(groupWindow, manifestRevalidateAfter);
    }
}
