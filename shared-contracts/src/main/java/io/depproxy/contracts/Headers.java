package io.depproxy.contracts;

/** Header names both services speak. Wire-compatible with GitLab Workhorse where GitLab has the header. */
public final class Headers {
    /** Carries an injection from the control plane to the accelerator; never reaches a client. */
    public static final String SEND_DATA = "Gitlab-Workhorse-Send-Data";
    /** HS256 JWT on every accelerator → control plane internal call. */
    public static final String API_REQUEST = "Gitlab-Workhorse-Api-Request";
    /** Upstream Content-Type forwarded on finalize (the form body overwrites Content-Type). */
    public static final String PROXY_CONTENT_TYPE = "Workhorse-Proxy-Content-Type";
    /** Sent on authorize when the upstream announced a length, so the control plane can skip multipart. */
    public static final String UPLOAD_LENGTH = "Upload-Length";
    public static final String DOCKER_CONTENT_DIGEST = "Docker-Content-Digest";
    public static final String DISTRIBUTION_API_VERSION = "Docker-Distribution-Api-Version";
    public static final String DISTRIBUTION_API_VERSION_VALUE = "registry/2.0";
    public static final String REQUEST_ID = "X-Request-Id";
    /** {@code hit}, {@code miss} or {@code stale} (served from cache because the upstream failed). */
    public static final String CACHE_STATUS = "X-Dependency-Proxy-Cache";
    /**
     * In {@code UploadConfig.Headers} of a send-dependency: the id of the upstream the download comes from, which
     * the accelerator sends back on authorize and finalize so the record says which upstream served it.
     */
    public static final String UPSTREAM_ID = "Dependency-Proxy-Upstream-Id";

    /**
     * On a registry request the accelerator forwards: the URL its peers reach its peer listener at
     * ({@code DP_PEER_ADVERTISE_URL}), believed only next to a valid {@link #API_REQUEST} token. The control plane
     * names it in the fetch lease it takes for a miss, and other replicas then stream that download from there.
     */
    public static final String PEER_URL = "Gitlab-Workhorse-Peer-Url";

    /**
     * On a blob GET the accelerator sends on behalf of a client (its blob read-ahead, value {@code 1}), believed only
     * next to a valid {@link #API_REQUEST} token: the control plane decides as for the client but counts it apart
     * ({@code dp_cache_decisions_total{result="read_ahead"}}), not as the group's pull, which the client's own request
     * for the blob is.
     */
    public static final String READ_AHEAD = "Gitlab-Workhorse-Read-Ahead";

    /**
     * On the control plane's send-dependency answer to a read-ahead's blob GET: for how many milliseconds the
     * client's own GET of the same path and query, with the same {@code Authorization}, may join that download on
     * this decision instead of asking again (the same bound as the control plane's own decision cache,
     * {@code DP_DECISION_CACHE_TTL}). Absent or 0: the client asks. The miss is then counted at finalize
     * ({@link io.depproxy.contracts.upload.ReadAheadOutcome#JOINED_ON_DECISION}).
     */
    public static final String READ_AHEAD_REUSE = "Gitlab-Workhorse-Read-Ahead-Reuse-Ms";

    private Headers() {
    }
}
