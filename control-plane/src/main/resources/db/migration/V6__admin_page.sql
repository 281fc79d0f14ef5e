-- The admin page's sign-ins. The cookie holds a random session id; only its sha256 hex is stored, as for tokens.
-- A session acts as the personal access token it was opened with: revoking or deleting that token ends it.
CREATE TABLE admin_page_sessions (
    session_digest             varchar(64) PRIMARY KEY,
    personal_access_token_id   bigint NOT NULL REFERENCES personal_access_tokens (id) ON DELETE CASCADE,
    csrf_token                 varchar(64) NOT NULL,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    expires_at                 timestamptz NOT NULL
);
CREATE INDEX admin_page_sessions_expires_at_idx ON admin_page_sessions (expires_at);

-- The group counters per UTC day, added to in the same statement batch as dependency_proxy_group_statistics:
-- what the admin page charts over time.
CREATE TABLE dependency_proxy_group_statistics_daily (
    group_id                 bigint NOT NULL REFERENCES namespaces (id) ON DELETE CASCADE,
    day                      date NOT NULL,
    cache_hits               bigint NOT NULL DEFAULT 0,
    cache_misses             bigint NOT NULL DEFAULT 0,
    bytes_served_from_cache  bigint NOT NULL DEFAULT 0,
    bytes_fetched_upstream   bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (group_id, day)
);
