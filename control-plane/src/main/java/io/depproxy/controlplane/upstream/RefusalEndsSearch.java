package io.depproxy.controlplane.upstream;


/**
 * An upstream of the group's order refused access (401/403, or its token service did) while later upstreams were
 * left to ask, and the group does not fall through on refusals ({@code fallback_on_auth_error} off). The search stops
 * here, so a public registry never answers for a private one whose credentials expired (dependency confusion); the
 * client is told the upstream refused (403 DENIED), not that nothing has the image.
 */
public class RefusalEndsSearch extends UpstreamAccessRefused {
    private final String upstreamName;

    /** {@code detail}: what refused, as {@code HTTP 401} or {@code its token service}. */
    public RefusalEndsSearch(String upstreamName, String detail) {
        super("upstream " + upstreamName + " refused access (" + detail + ")");
        this.upstreamName = upstreamName;
    }

    public String upstreamName() {
        return upstreamName;
    }
}
