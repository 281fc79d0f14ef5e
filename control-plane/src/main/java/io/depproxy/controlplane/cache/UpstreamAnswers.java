package io.depproxy.controlplane.cache;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.upstream.UpstreamAccessRefused;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamDestinationRefused;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns upstream outcomes into registry answers: unreachable → 503, refused by the outbound destination policy → 502,
 * 404 → *_UNKNOWN, 401/403 → NAME_UNKNOWN, other statuses as they are.
 */
@ApplicationScoped
public class UpstreamAnswers {
    @Inject
    UpstreamClient upstream;

    /** The upstream {@code Authorization} value; 503 UNAVAILABLE when the upstream or its token service fails. */
    public Optional<String> authorization(UpstreamRouting.Candidate candidate) {
        try {
            return upstream.authorization(candidate.endpoint(), candidate.name(), candidate.credentials());
        } catch (UpstreamException e) {
            throw unavailable(e);
        }
    }

    /** Runs upstream HEADs; 503 UNAVAILABLE when they cannot be answered. */
    public <T> T head(Supplier<T> call) {
        try {
            return call.get();
        } catch (UpstreamException e) {
            throw unavailable(e);
        }
    }

    /** A client HEAD answered from the upstream's HEAD. */
    public CacheDecision describe(UpstreamHead head, RegistryErrorCode notFound, String requestedDigest) {
        if (head.refused()) {
            throw refused("upstream HEAD answered " + head.status());
        }
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
        if (e instanceof UpstreamAccessRefused) {
            return refused(e.getMessage());
        }
        if (e instanceof UpstreamDestinationRefused) {
            // logged where it was refused, with host and address; the client learns neither
            return new RegistryException(RegistryErrorCode.UNAVAILABLE, 502, OutboundRefused.CLIENT_MESSAGE);
        }
        return RegistryException.unavailable("upstream registry unavailable: " + e.getMessage());
    }

    /**
     * An upstream 401/403 with nothing cached: 404 NAME_UNKNOWN, never a 401 (the client's token is valid; a
     * challenge would send it round a login loop). The warning is for the operator, who can fix the credentials.
     */
    static RegistryException refused(String detail) {
        Log.warnf("upstream refused access (%s): the repository does not exist upstream, or the upstream needs"
                + " credentials (the group's credentials for that upstream, or the upstream's own)", detail);
        return RegistryException.nameUnknown(
                "the upstream refused access: the repository does not exist or needs credentials");
    }
}
