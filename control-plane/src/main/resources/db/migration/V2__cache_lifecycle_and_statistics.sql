-- Cache lifecycle (TTL marking, deletion workers, group deletion) and per-group statistics.

-- Cache records outlive their group: deleting a group marks its records pending_destruction and the deletion
-- workers remove object and row afterwards. A cascading foreign key would drop the rows (and so the only
-- reference to their objects) at once, so the records keep the group id without a foreign key.
ALTER TABLE dependency_proxy_manifests DROP CONSTRAINT dependency_proxy_manifests_group_id_fkey;
ALTER TABLE dependency_proxy_blobs DROP CONSTRAINT dependency_proxy_blobs_group_id_fkey;

-- Failed object deletions: retried until the third failure, then the record is left in status error (3).
ALTER TABLE dependency_proxy_manifests ADD COLUMN deletion_attempts smallint NOT NULL DEFAULT 0;
ALTER TABLE dependency_proxy_blobs ADD COLUMN deletion_attempts smallint NOT NULL DEFAULT 0;

-- The workers' queue: pending_destruction (1) rows, oldest first.
CREATE INDEX dependency_proxy_manifests_pending_idx ON dependency_proxy_manifests (updated_at) WHERE status = 1;
CREATE INDEX dependency_proxy_blobs_pending_idx ON dependency_proxy_blobs (updated_at) WHERE status = 1;
-- Several manifest records (a tag and a digest) may share one content-addressed object.
CREATE INDEX dependency_proxy_manifests_object_key_idx ON dependency_proxy_manifests (object_key);

-- Counters, each incremented in its own short transaction by the cache services and finalize.
CREATE TABLE dependency_proxy_group_statistics (
    group_id                 bigint PRIMARY KEY REFERENCES namespaces (id) ON DELETE CASCADE,
    cache_hits               bigint NOT NULL DEFAULT 0,
    cache_misses             bigint NOT NULL DEFAULT 0,
    bytes_served_from_cache  bigint NOT NULL DEFAULT 0,
    bytes_fetched_upstream   bigint NOT NULL DEFAULT 0,
    updated_at               timestamptz NOT NULL DEFAULT now()
);
