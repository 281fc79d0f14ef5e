package io.depproxy.controlplane.cache;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamCredentials;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;

/** Turns upstream outcomes into registry answers: unreachable → 503, 404 → *_UNKNOWN, other statuses as they are. */
@ApplicationScoped
public class UpstreamAnswers {
    @Inject
    UpstreamClient upstream;

    /** The upstream {@code Authorization} value; 503 UNAVAILABLE when the upstream or its token service fails. */
    public Optional<String> authorization(String upstreamName, UpstreamCredentials credentials) {
        try {
            return upstream.authorization(upstreamName, credentials);
        } catch (UpstreamException e) {
            throw unavailable(e);
        }
    }

    /** Runs an upstream HEAD; 503 UNAVAILABLE when it cannot be answered. */
    public UpstreamHead head(Supplier<UpstreamHead> call) {
        try {
            return call.get();
        } catch (UpstreamException e) {
            throw unavailable(e);
        }
    }

    /** A client HEAD answered from the upstream's HEAD. */
    public CacheDecision describe(UpstreamHead head, RegistryErrorCode notFound, String requestedDigest) {
        if (head.status() == 404) {
            throw new RegistryException(notFound, "not found upstream");
        }
        if (!head.ok()) {
            int status = head.status() >= 500 ? 503 : head.status();
            throw new RegistryException(RegistryErrorCode.forStatus(status), status,
                    "upstream answered " + head.status());
        }
        String digest = head.digest() != null ? head.digest() : requestedDigest;
        String type = head.contentType() != null ? head.contentType() : MediaTypes.OCTET_STREAM;
        return new CacheDecision.Described(type, head.contentLength(), digest);
    }

    static RegistryException unavailable(UpstreamException e) {
        return RegistryException.unavailable("upstream registry unavailable: " + e.getMessage());
    }
}
