package io.depproxy.controlplane.upstream;


/** A group whose dependency proxy may serve the current request, with its settings and its upstreams. */
public record PullTarget(long groupId, String fullPath, int manifestRevalidateAfterSeconds, GroupUpstreams upstreams) {
}
