package io.depproxy.controlplane.service;

/** A group whose dependency proxy may serve the current request, with its settings. */
public record PullTarget(long groupId, String fullPath, int manifestRevalidateAfterSeconds) {
}
