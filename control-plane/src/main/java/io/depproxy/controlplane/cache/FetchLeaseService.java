package io.depproxy.controlplane.cache;

import io.depproxy.contracts.peer.FetchLeases;
import io.depproxy.controlplane.domain.FetchLeaseRepository;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Cluster-wide single flight: of the replicas that miss the same coalesce key at once, the first holds the key's
 * fetch lease and downloads it from the upstream; the others are told to stream that download from it (send-peer).
 * The lease lives {@link #TTL} and is renewed by the fetching replica's heartbeat (every {@link #HEARTBEAT} or so), so
 * a replica that dies stops holding it within {@link #TTL}, and the next miss fetches from the upstream again. A
 * lease is a hint: when the table cannot be reached the miss is answered as before (a download of its own).
 */
@ApplicationScoped
public class FetchLeaseService {
    /** How long a lease lives without a heartbeat. */
    public static final Duration TTL = Duration.ofSeconds(15);
    /** How often the accelerator renews its leases (it is told nothing: this is its default, for the docs). */
    public static final Duration HEARTBEAT = Duration.ofSeconds(5);
    /** A lease younger than this is not ended by a heartbeat that omits it (its download may not have started). */
    static final Duration SETTLE = Duration.ofSeconds(5);

    @Inject
    FetchLeaseRepository leases;
    @Inject
    CacheMetrics metrics;

    /**
     * A GET miss from a replica that advertises {@code requesterPeer} (null: none, or not believed): when another
     * replica holds the lease of its coalesce key, stream from that one; otherwise the requester fetches it, under
     * the lease. Only fetches that name the digest the bytes must hash to are shared across replicas (the relaying
     * replica verifies them against it); a manifest by tag is fetched as before.
     */
    public CacheDecision route(CacheDecision decision, String requesterPeer) {
        if (requesterPeer == null || !(decision instanceof CacheDecision.Fetch fetch) || fetch.coalesceKey() == null
                || fetch.digest() == null) {
            return decision;
        }
        Optional<String> other = otherFetcher(fetch.coalesceKey(), requesterPeer);
        metrics.fetchLease(other.isPresent() ? "peer" : "fetch");
        return other.<CacheDecision>map(peer -> new CacheDecision.FromPeer(fetch, peer)).orElse(decision);
    }

    /**
     * The peer URL of the other replica downloading {@code coalesceKey} right now, if any; otherwise the lease is
     * {@code requesterPeer}'s (taken or renewed) and the requester downloads it itself.
     */
    public Optional<String> otherFetcher(String coalesceKey, String requesterPeer) {
        try {
            return leases.claim(coalesceKey, requesterPeer, TTL).filter(holder -> !holder.equals(requesterPeer));
        } catch (RuntimeException e) {
            Log.warnf("fetch lease of %s not taken, downloading without one: %s", coalesceKey, e.getMessage());
            return Optional.empty();
        }
    }

    /** {@code peer} is still downloading {@code keys}: they live on; its other settled leases end. */
    public int heartbeat(String peer, List<String> keys) {
        requirePeer(peer);
        return leases.heartbeat(peer, keys, TTL, SETTLE);
    }

    /** A relaying replica could not stream {@code key} from {@code peer}: its lease ends, if still that peer's. */
    public boolean peerGone(String key, String peer) {
        requirePeer(peer);
        return leases.release(key, peer);
    }

    private static void requirePeer(String peer) {
        if (!FetchLeases.isPeerUrl(peer)) {
            throw new IllegalArgumentException("peer must be an http(s)://host:port URL");
        }
    }
}
