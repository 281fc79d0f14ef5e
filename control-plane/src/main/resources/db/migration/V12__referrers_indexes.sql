-- The last good referrers index of a subject (unfiltered, the image index the referrers API answers), so that every
-- replica, also after a restart, answers it when the upstream fails (stale-if-error). Written when a fresh answer
-- differs from the row or the row is older than the refresh window, so a hot route writes nothing per request.
-- Rows go with the group's cache purge, with the group, with the upstream, and with the group's TTL policy once
-- they are older than its ttl and the subject is no longer cached in the group.
CREATE TABLE dependency_proxy_referrers (
    group_id       bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    upstream_id    bigint NOT NULL REFERENCES dependency_proxy_upstreams (id) ON DELETE CASCADE,
    image_name     varchar(1024) NOT NULL,
    subject_digest varchar(255) NOT NULL,
    index_json     text NOT NULL,
    fetched_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, image_name, subject_digest, upstream_id)
);
