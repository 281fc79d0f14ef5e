-- A blob being stored holds a `processing` record with a lease, so that accelerators behind different
-- control-plane replicas do not store the same blob twice; an expired lease may be taken over.
ALTER TABLE dependency_proxy_blobs ADD COLUMN lease_until timestamptz;
