package io.depproxy.controlplane.upstream;

import java.util.List;

/**
 * The upstreams a group pulls from, first first, and whether an upstream error lets the next one answer
 * ({@code fallbackOnError}; a 404 always does).
 */
public record GroupUpstreams(List<UpstreamChoice> order, boolean fallbackOnError) {

    public GroupUpstreams {
        order = List.copyOf(order);
    }

    /** {@code upstream} with the group's credentials for it when its list has some. */
    public UpstreamChoice choiceFor(UpstreamEndpoint upstream) {
        return order.stream().filter(choice -> choice.endpoint().id() == upstream.id()).findFirst()
                .orElse(new UpstreamChoice(upstream, null));
    }
}
