package io.depproxy.controlplane.identity;

import io.depproxy.controlplane.upstream.UpstreamCredentials;

/**
 * A group whose dependency proxy may serve the current request, with its settings. {@code upstreamCredentials}: the
 * group's own credentials for the upstream's token service, or null to use the instance-wide ones.
 */
public record PullTarget(long groupId, String fullPath, int manifestRevalidateAfterSeconds,
                         UpstreamCredentials upstreamCredentials) {

    public PullTarget(long groupId, String fullPath, int manifestRevalidateAfterSeconds) {
        this(groupId, fullPath, manifestRevalidateAfterSeconds, null);
    }
}
