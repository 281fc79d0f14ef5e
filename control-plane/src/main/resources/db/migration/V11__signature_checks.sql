-- The signature checks of images, remembered per group, repository, manifest digest and key set (the sha256 of the
-- sorted fingerprints of the keys the group required), shared by every replica. outcome: verified, unsigned or invalid.
-- A verified image is kept for days; a refusal only briefly, so a signature pushed after it is found soon. A platform
-- manifest listed by a verified index is stored as verified, with the index named in its reason.
CREATE TABLE dependency_proxy_signature_checks (
    group_id bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    image text NOT NULL,
    digest text NOT NULL,
    key_set_id text NOT NULL,
    outcome text NOT NULL CHECK (outcome IN ('verified', 'unsigned', 'invalid')),
    reason text NOT NULL,
    checked_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (group_id, image, digest, key_set_id)
);
CREATE INDEX dependency_proxy_signature_checks_expiry ON dependency_proxy_signature_checks (expires_at);
