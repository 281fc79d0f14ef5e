package io.depproxy.controlplane.cache;

import io.depproxy.contracts.senddata.HeaderMap;

/** What the control plane answers to a manifest or blob request. */
public sealed interface CacheDecision {

    /**
     * Serve the stored object ({@code cacheStatus} {@code hit}, or {@code stale} when the upstream failed);
     * {@code body}: its verified bytes when this replica holds them (a manifest), else null (send it from storage).
     */
    record Hit(String objectKey, String contentType, String digest, long size, String cacheStatus, byte[] body)
            implements CacheDecision {
        public Hit(String objectKey, String contentType, String digest, long size, String cacheStatus) {
            this(objectKey, contentType, digest, size, cacheStatus, null);
        }

        public boolean stale() {
            return "stale".equals(cacheStatus);
        }
    }

    /**
     * Fetch from upstream {@code upstreamId} through the accelerator, storing what comes back; {@code contentType}
     * is what the client is told the bytes are (a type from the registry's list, see {@code MediaTypes}),
     * {@code maximumSize} the most bytes the upstream may send, {@code upstreamName} the upstream's name (the
     * accelerator's metrics label for the fetch).
     */
    record Fetch(String upstreamUrl, HeaderMap upstreamHeaders, String digest, String coalesceKey, long upstreamId,
                 String contentType, long maximumSize, String upstreamName) implements CacheDecision {
    }

    /**
     * The {@code fetch} another accelerator replica is downloading right now (it holds the fetch lease): stream it
     * from that replica's peer listener at {@code peerUrl} instead of the upstream ({@link FetchLeaseService}).
     */
    record FromPeer(Fetch fetch, String peerUrl) implements CacheDecision {
    }

    /** Answer a client HEAD with what the upstream's HEAD said (no body is ever downloaded). */
    record Described(String contentType, Long contentLength, String digest) implements CacheDecision {
    }
}
