package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.config.UpstreamSettings;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Upstream URLs and HEAD requests; a HEAD answered 401 drops the cached token and is retried once. */
@Singleton
public class UpstreamClient {
    /** The Accept value for manifests: all four types we cache. */
    public static final String MANIFEST_ACCEPT = String.join(", ", MediaTypes.MANIFEST_TYPES);

    private final UpstreamSettings settings;
    private final UpstreamHttp http;
    private final UpstreamAuthenticator authenticator;

    @Inject
    public UpstreamClient(UpstreamSettings settings, UpstreamHttp http, UpstreamAuthenticator authenticator) {
        this.settings = settings;
        this.http = http;
        this.authenticator = authenticator;
    }

    /** The upstream repository name of a client's image name ({@code alpine} → {@code library/alpine}). */
    public String upstreamName(String image) {
        return settings.upstreamName(image);
    }

    public String manifestUrl(String upstreamName, String reference) {
        return settings.baseUrl() + "/v2/" + upstreamName + "/manifests/" + reference;
    }

    public String blobUrl(String upstreamName, String digest) {
        return settings.baseUrl() + "/v2/" + upstreamName + "/blobs/" + digest;
    }

    /**
     * The {@code Authorization} value for pulls of {@code upstreamName}; throws {@link UpstreamException}.
     * {@code credentials}: the group's upstream credentials, or null for the instance-wide ones.
     */
    public Optional<String> authorization(String upstreamName, UpstreamCredentials credentials) {
        return authenticator.authorization(upstreamName, credentials);
    }

    public UpstreamHead headManifest(String upstreamName, String reference, UpstreamCredentials credentials) {
        return head(upstreamName, manifestUrl(upstreamName, reference), true, credentials);
    }

    public UpstreamHead headBlob(String upstreamName, String digest, UpstreamCredentials credentials) {
        return head(upstreamName, blobUrl(upstreamName, digest), false, credentials);
    }

    private UpstreamHead head(String upstreamName, String url, boolean manifest, UpstreamCredentials credentials) {
        URI uri = URI.create(url);
        UpstreamHttp.Result result = http.head(uri, headers(authorization(upstreamName, credentials), manifest));
        if (result.status() == 401) {
            authenticator.invalidate(upstreamName);
            result = http.head(uri, headers(authorization(upstreamName, credentials), manifest));
        }
        return new UpstreamHead(result.status(), result.header("Content-Type"), length(result),
                result.header(Headers.DOCKER_CONTENT_DIGEST));
    }

    private static Map<String, String> headers(Optional<String> authorization, boolean manifest) {
        Map<String, String> headers = new LinkedHashMap<>();
        authorization.ifPresent(value -> headers.put("Authorization", value));
        if (manifest) {
            headers.put("Accept", MANIFEST_ACCEPT);
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
