package io.depproxy.controlplane.upstream;

/**
 * An upstream as one group pulls from it: {@code groupCredentials} are the group's own credentials for it (they win
 * over the upstream's), or null.
 */
public record UpstreamChoice(UpstreamEndpoint endpoint, UpstreamCredentials groupCredentials) {
}
