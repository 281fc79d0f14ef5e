-- Cluster-wide single flight: the accelerator replica downloading a coalesced miss right now, by coalesce key
-- (group, upstream, repository, digest). Other replicas stream that download from `peer_url` instead of asking the
-- upstream again. The fetching replica renews its leases with a heartbeat; a lease not renewed runs out at
-- `expires_at` (its replica died), and the next miss of the key takes it over.
CREATE TABLE fetch_leases (
    coalesce_key text PRIMARY KEY,
    peer_url     text        NOT NULL,
    claimed_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX fetch_leases_peer_url ON fetch_leases (peer_url);
