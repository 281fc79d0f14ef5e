-- Who may use an upstream's instance-wide credentials, and whether a refusal lets another upstream answer.

-- open_to_all_groups: every group may pull from the upstream by name with the upstream's own credentials; otherwise
-- only groups whose upstream list (their own or inherited) names it. Set by instance administrators only.
-- Existing upstreams keep what they did where that exposes no instance credentials: the default upstream (every
-- group without a list already pulls from it) and upstreams without credentials stay open; upstreams with
-- credentials are closed, and an administrator lists them for the groups that need them (or opens them).
ALTER TABLE dependency_proxy_upstreams ADD COLUMN open_to_all_groups boolean NOT NULL DEFAULT false;
UPDATE dependency_proxy_upstreams SET open_to_all_groups = true WHERE is_default OR username IS NULL;

-- Whether an upstream's 401/403 lets the next upstream of the group's list answer (off: the search stops there, so a
-- public registry never answers for a private one whose credentials expired). Inherited with the list.
ALTER TABLE dependency_proxy_group_settings ADD COLUMN upstream_fallback_on_auth_error boolean NOT NULL DEFAULT false;
