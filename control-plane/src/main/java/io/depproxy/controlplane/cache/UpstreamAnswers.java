package io.depproxy.controlplane.cache;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.error.RegistryErrorCode;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.upstream.RefusalEndsSearch;
import io.depproxy.controlplane.upstream.UpstreamAccessRefused;
import io.depproxy.controlplane.upstream.UpstreamClient;
import io.depproxy.controlplane.upstream.UpstreamDestinationRefused;
import io.depproxy.controlplane.upstream.UpstreamException;
import io.depproxy.controlplane.upstream.UpstreamHead;
import io.depproxy.controlplane.upstream.UpstreamRouting;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Turns upstream outcomes into registry answers: unreachable → 503, refused by the outbound destination policy → 502,
 * 404 → *_UNKNOWN, 401/403 → NAME_UNKNOWN (403 DENIED when the refusal stopped the group's search before its later
 * upstreams), other statuses as they are. What a client reads names only the kind of failure; what went wrong in
 * detail (the upstream's URL, its host, the exception's text) goes to the log, whose lines carry the request id.
 */
@ApplicationScoped
public class UpstreamAnswers {
    static final String UNREACHABLE = "the upstream registry could not be reached";

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

    /**
     * A client HEAD answered from the upstream's HEAD, with a type from the registry's list, never the upstream's
     * own choice: a blob is {@code application/octet-stream}, a manifest the known manifest type the upstream
     * announced (or {@link MediaTypes#UNNAMED_MANIFEST}).
     */
    public CacheDecision describe(UpstreamHead head, RegistryRequest.Kind kind, String requestedDigest) {
        if (head.refused()) {
            throw refused("upstream HEAD answered " + head.status());
        }
        if (head.status() == 404) {
            throw new RegistryException(kind == RegistryRequest.Kind.BLOB ? RegistryErrorCode.BLOB_UNKNOWN
                    : RegistryErrorCode.MANIFEST_UNKNOWN, "not found upstream");
        }
        if (!head.ok()) {
            int status = head.status() >= 500 ? 503 : head.status();
            throw new RegistryException(RegistryErrorCode.forStatus(status), status,
                    "the upstream registry answered " + head.status());
        }
        String digest = head.digest() != null ? head.digest() : requestedDigest;
        String type = kind == RegistryRequest.Kind.BLOB ? MediaTypes.OCTET_STREAM
                : MediaTypes.manifestTypeOr(head.contentType(), MediaTypes.UNNAMED_MANIFEST);
        return new CacheDecision.Described(type, head.contentLength(), digest);
    }

    /** The upstream (or its token service) could not be asked: 503 in general words, the detail in the log. */
    public static RegistryException unavailable(UpstreamException e) {
        if (e instanceof RefusalEndsSearch stopped) {
            return stoppedByRefusal(stopped);
        }
        if (e instanceof UpstreamAccessRefused) {
            return refused(e.getMessage());
        }
        if (e instanceof UpstreamDestinationRefused) {
            // logged where it was refused, with host and address; the client learns neither
            return new RegistryException(RegistryErrorCode.UNAVAILABLE, 502, OutboundRefused.CLIENT_MESSAGE);
        }
        Log.warnf("the upstream registry could not be reached: %s", e.getMessage());
        return RegistryException.unavailable(UNREACHABLE);
    }

    /**
     * An upstream 401/403 with nothing cached: 404 NAME_UNKNOWN, never a 401 (the client's token is valid; a
     * challenge would send it round a login loop). The warning is for the operator, who can fix the credentials.
     */
    public static RegistryException refused(String detail) {
        Log.warnf("upstream refused access (%s): the repository does not exist upstream, or the upstream needs"
                + " credentials (the group's credentials for that upstream, or the upstream's own)", detail);
        return RegistryException.nameUnknown(
                "the upstream refused access: the repository does not exist or needs credentials");
    }

    /**
     * A refusal that ended the group's search with upstreams left to ask: 403 DENIED, so the client learns that an
     * upstream refused (its credentials may have expired), not that no upstream has the image; never a 401 (a login
     * loop). The group's {@code fallback_on_auth_error} would let the next upstream answer instead.
     */
    public static RegistryException stoppedByRefusal(RefusalEndsSearch e) {
        Log.warnf("%s; the group's later upstreams were not asked (fallback_on_auth_error is off): check the"
                + " credentials for that upstream", e.getMessage());
        return RegistryException.denied("upstream " + e.upstreamName() + " refused access: the repository needs"
                + " credentials there or does not exist; the group's later upstreams are not asked after a refusal");
    }
}
