package io.depproxy.controlplane.upstream;

import java.util.List;

/**
 * The upstreams a group pulls from, first first; whether an upstream error ({@code fallbackOnError}) or a refusal,
 * 401/403 ({@code fallbackOnAuthError}), lets the next one answer (a 404 always does). A group may use the upstreams
 * of this list and those open to all groups, nothing else: an instance's credentials for an upstream reach only the
 * groups an administrator meant them for.
 */
public record GroupUpstreams(List<UpstreamChoice> order, boolean fallbackOnError, boolean fallbackOnAuthError) {

    public GroupUpstreams {
        order = List.copyOf(order);
    }

    /** A list where a refusal ends the search (the default). */
    public GroupUpstreams(List<UpstreamChoice> order, boolean fallbackOnError) {
        this(order, fallbackOnError, false);
    }

    /** Whether this group may pull from {@code upstream}: its list names it, or it is open to all groups. */
    public boolean mayUse(UpstreamEndpoint upstream) {
        return upstream.openToAllGroups() || lists(upstream.id());
    }

    /** Whether the list names the upstream {@code upstreamId}. */
    public boolean lists(long upstreamId) {
        return order.stream().anyMatch(choice -> choice.endpoint().id() == upstreamId);
    }

    /** {@code upstream} with the group's credentials for it when its list has some. */
    public UpstreamChoice choiceFor(UpstreamEndpoint upstream) {
        return order.stream().filter(choice -> choice.endpoint().id() == upstream.id()).findFirst()
                .orElse(new UpstreamChoice(upstream, null));
    }
}
