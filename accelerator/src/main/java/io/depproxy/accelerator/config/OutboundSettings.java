package io.depproxy.accelerator.config;

import io.depproxy.contracts.outbound.AllowList;
import java.net.URI;
import java.util.Objects;

/**
 * What the destination policy of upstream calls needs besides the control plane's URL: the operator's allow-list of
 * internal destinations ({@code DP_OUTBOUND_ALLOW}) and the object store's endpoint ({@code DP_S3_ENDPOINT}, only its
 * address: no upstream call may reach it; null when not set).
 */
public record OutboundSettings(AllowList allow, URI objectStoreEndpoint) {
    public static final OutboundSettings NONE = new OutboundSettings(AllowList.NONE, null);

    public OutboundSettings {
        Objects.requireNonNull(allow, "allow");
        if (objectStoreEndpoint != null && (objectStoreEndpoint.getHost() == null
                || !("http".equals(objectStoreEndpoint.getScheme()) || "https".equals(objectStoreEndpoint.getScheme())))) {
            throw new IllegalArgumentException("the object store endpoint must be an absolute http(s) URL, was "
                    + objectStoreEndpoint);
        }
    }
}
