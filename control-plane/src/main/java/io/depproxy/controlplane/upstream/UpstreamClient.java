package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * HEAD and small GET requests to an upstream (tag lists, referrers indexes), authorized as it asks; an answer of 401 drops the cached token and the
 * request is retried once.
 */
@Singleton
public class UpstreamClient {
    /** The Accept value for manifests: all four types we cache. */
    public static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.MANIFEST_TYPES);
    /** A tag list longer than this is refused rather than cut. */
    static final int MAX_TAG_LIST_BYTES = 4 * 1024 * 1024;

    private final UpstreamHttp http;
    private final UpstreamAuthenticator authenticator;

    @Inject
    public UpstreamClient(UpstreamHttp http, UpstreamAuthenticator authenticator) {
        this.http = http;
        this.authenticator = authenticator;
    }

    /**
     * The {@code Authorization} value for pulls of {@code upstreamName}; throws {@link UpstreamException}.
     * {@code credentials}: the group's credentials for this upstream, or null for the upstream's own.
     */
    public Optional<String> authorization(UpstreamEndpoint upstream, String upstreamName,
                                          UpstreamCredentials credentials) {
        return authenticator.authorization(upstream, upstreamName, credentials);
    }

    public UpstreamHead headManifest(UpstreamEndpoint upstream, String upstreamName, String reference,
                                     UpstreamCredentials credentials) {
        return head(upstream, upstreamName, upstream.manifestUrl(upstreamName, reference), true, credentials);
    }

    public UpstreamHead headBlob(UpstreamEndpoint upstream, String upstreamName, String digest,
                                 UpstreamCredentials credentials) {
        return head(upstream, upstreamName, upstream.blobUrl(upstreamName, digest), false, credentials);
    }

    /** {@code GET <upstream>/v2/<name>/tags/list?<query>}; {@code query} without {@code ?}, possibly empty. */
    public UpstreamHttp.Result tags(UpstreamEndpoint upstream, String upstreamName, String query,
                                    UpstreamCredentials credentials) {
        URI uri = URI.create(upstream.tagsUrl(upstreamName) + (query.isEmpty() ? "" : "?" + query));
        return get(upstream, upstreamName, uri, null, credentials);
    }

    /**
     * {@code GET <upstream>/v2/<name>/referrers/<digest>} (the OCI 1.1 referrers API, unfiltered), asking for an
     * image index. An upstream without that API answers 404 (or another non-index answer).
     */
    public UpstreamHttp.Result referrers(UpstreamEndpoint upstream, String upstreamName, String digest,
                                         UpstreamCredentials credentials) {
        URI uri = URI.create(upstream.baseUrl() + "/v2/" + upstreamName + "/referrers/" + digest);
        return get(upstream, upstreamName, uri, MediaTypes.OCI_INDEX, credentials);
    }

    /** {@code GET} of a manifest whose body is read here (a referrers fallback tag's index), of any of our types. */
    public UpstreamHttp.Result manifest(UpstreamEndpoint upstream, String upstreamName, String reference,
                                        UpstreamCredentials credentials) {
        URI uri = URI.create(upstream.manifestUrl(upstreamName, reference));
        return get(upstream, upstreamName, uri, MANIFEST_ACCEPT, credentials);
    }

    /** A GET of a JSON body of at most {@link #MAX_TAG_LIST_BYTES}, retried once after a 401 with a new token. */
    private UpstreamHttp.Result get(UpstreamEndpoint upstream, String upstreamName, URI uri, String accept,
                                    UpstreamCredentials credentials) {
        return get(upstream, upstreamName, uri, accept, credentials, MAX_TAG_LIST_BYTES);
    }

    /** A GET of a body of at most {@code maxBytes} (longer: {@link UpstreamException}), retried once after a 401. */
    private UpstreamHttp.Result get(UpstreamEndpoint upstream, String upstreamName, URI uri, String accept,
                                    UpstreamCredentials credentials, int maxBytes) {
        UpstreamHttp.Result result = http.get(upstream.name(), upstream.origin(), uri,
                headers(authorization(upstream, upstreamName, credentials), accept), maxBytes);
        if (result.status() == 401) {
            authenticator.invalidate(upstream, upstreamName);
            result = http.get(upstream.name(), upstream.origin(), uri,
                    headers(authorization(upstream, upstreamName, credentials), accept), maxBytes);
        }
        return result;
    }

    /**
     * {@code GET <upstream>/v2/<name>/manifests/<reference>} of a small manifest (a signature manifest, an index),
     * read up to {@code maxBytes}; a longer one is an {@link UpstreamException}.
     */
    public UpstreamHttp.Result getManifest(UpstreamEndpoint upstream, String upstreamName, String reference,
                                           UpstreamCredentials credentials, int maxBytes) {
        return get(upstream, upstreamName, URI.create(upstream.manifestUrl(upstreamName, reference)), MANIFEST_ACCEPT,
                credentials, maxBytes);
    }

    /**
     * {@code GET <upstream>/v2/<name>/blobs/<digest>} of a small text blob (a signed payload), read up to
     * {@code maxBytes}; a longer one is an {@link UpstreamException}.
     */
    public UpstreamHttp.Result getBlob(UpstreamEndpoint upstream, String upstreamName, String digest,
                                       UpstreamCredentials credentials, int maxBytes) {
        return get(upstream, upstreamName, URI.create(upstream.blobUrl(upstreamName, digest)), null, credentials,
                maxBytes);
    }

    private UpstreamHead head(UpstreamEndpoint upstream, String upstreamName, String url, boolean manifest,
                              UpstreamCredentials credentials) {
        URI uri = URI.create(url);
        UpstreamHttp.Result result = http.head(upstream.name(), upstream.origin(), uri,
                headers(authorization(upstream, upstreamName, credentials), manifest ? MANIFEST_ACCEPT : null));
        if (result.status() == 401) {
            authenticator.invalidate(upstream, upstreamName);
            result = http.head(upstream.name(), upstream.origin(), uri,
                    headers(authorization(upstream, upstreamName, credentials), manifest ? MANIFEST_ACCEPT : null));
        }
        return new UpstreamHead(result.status(), result.header("Content-Type"), length(result),
                result.header(Headers.DOCKER_CONTENT_DIGEST));
    }

    private static Map<String, String> headers(Optional<String> authorization, String accept) {
        Map<String, String> headers = new LinkedHashMap<>();
        authorization.ifPresent(value -> headers.put("Authorization", value));
        if (accept != null) {
            headers.put("Accept", accept);
        }
        return headers;
    }

    private static Long length(UpstreamHttp.Result result) {
        String value = result.header("Content-Length");
        try {
            return value == null ? null : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
