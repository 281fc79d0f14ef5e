package io.depproxy.controlplane.lifecycle;

import io.depproxy.controlplane.domain.CacheLifecycleRepository;
import io.depproxy.controlplane.domain.CacheTable;
import io.depproxy.controlplane.domain.ImageTtlPolicy;
import io.depproxy.controlplane.domain.ReferrersIndexRepository;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.function.IntSupplier;

/**
 * GitLab's {@code ImageTtlGroupPolicyWorker}: for every group whose TTL policy is enabled, servable records not read
 * for {@code ttl} days become pending_destruction, in short batches. Records left behind by a deleted group (a
 * finalize that raced the deletion) are marked too. Running it on several replicas at once is harmless. This
 * replica's coalesced hits are written first; another replica's are at most {@code DP_HIT_FLUSH_INTERVAL} old.
 * Stored referrers indexes not fetched for the ttl whose subject is no longer cached in the group are deleted.
 */
@ApplicationScoped
public class TtlExpiryService {
    static final int BATCH = 1000;

    @Inject
    CacheLifecycleRepository records;
    @Inject
    CleanupWorkers workers;
    @Inject
    PendingHits hits;
    @Inject
    ReferrersIndexRepository referrers;

    /** Marks what expired and starts the deletion workers when anything was; returns the records marked. */
    public int expire() {
        hits.flush();
        int marked = 0;
        for (CacheTable table : CacheTable.values()) {
            int expired = inBatches("expiry", table.kind(), () -> records.markExpired(table, BATCH));
            int orphaned = inBatches("orphan marking", table.kind(), () -> records.markOrphaned(table, BATCH));
            if (expired + orphaned > 0) {
                Log.infof("ttl policy: %d %s records expired, %d of deleted groups", expired, table.kind(), orphaned);
            }
            marked += expired + orphaned;
        }
        if (marked > 0) {
            workers.kick();
        }
        int referrersDeleted = inBatches("referrers index deletion", "referrers",
                () -> referrers.deleteExpired(BATCH, ImageTtlPolicy.MAX_TTL_DAYS));
        if (referrersDeleted > 0) {
            Log.infof("ttl policy: %d stored referrers indexes expired", referrersDeleted);
        }
        return marked;
    }

    /** A failing step is logged and skipped, so the other table and the other step still run. */
    private static int inBatches(String step, String kind, IntSupplier batch) {
        int total = 0;
        try {
            while (true) {
                int marked = QuarkusTransaction.requiringNew().call(batch::getAsInt);
                total += marked;
                if (marked < BATCH) {
                    return total;
                }
            }
        } catch (RuntimeException e) {
            Log.errorf(e, "ttl policy: %s of %s records failed after %d done", step, kind, total);
            return total;
        }
    }
}
