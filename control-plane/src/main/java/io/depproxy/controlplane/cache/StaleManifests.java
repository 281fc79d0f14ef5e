package io.depproxy.controlplane.cache;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * stale-if-error for a tag whose upstream failed: the newest of the tag's records whose object still exists. In order:
 * the record this replica remembers (it may predate a move of the tag on any replica), the tag's current record, then
 * the records the tag moved away from that the deletion workers have not removed yet. A record whose verified body
 * this replica holds in memory is served as it is; any other is checked in storage (a stale answer is rare, a 404 for
 * a pull that could be served is not), and one found without its object is healed on the way ({@link MissingObjects}).
 */
@ApplicationScoped
public class StaleManifests {
    /** How many superseded records are tried at most (each costs a stat). */
    static final int MAX_SUPERSEDED = 3;

    @Inject
    ManifestRecords manifests;
    @Inject
    MissingObjects missing;
    @Inject
    ManifestBodies bodies;

    /** {@code remembered}: the tag's record as this replica found it, if any (empty: the database has none). */
    public Optional<ServableManifest> newestWithObject(long groupId, String image, String tag,
                                                       Optional<ServableManifest> remembered) {
        Set<String> gone = new HashSet<>();
        if (remembered.isPresent()) {
            if (stored(remembered.get(), gone)) {
                return remembered;
            }
            Optional<ServableManifest> current = manifests.byTag(groupId, image, tag, true);
            if (current.isPresent() && stored(current.get(), gone)) {
                return current;
            }
        }
        return manifests.superseded(groupId, image, tag, MAX_SUPERSEDED).stream()
                .filter(older -> stored(older, gone)).findFirst();
    }

    private boolean stored(ServableManifest manifest, Set<String> gone) {
        if (bodies.holds(manifest.digest())) {
            return true;
        }
        if (gone.contains(manifest.objectKey())) {
            return false;
        }
        if (missing.healIfMissing(manifest.objectKey())) {
            gone.add(manifest.objectKey());
            return false;
        }
        return true;
    }
}
