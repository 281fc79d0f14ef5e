-- A group may let pulls without a login through (cluster-internal mirrors reachable only from nodes). Off by default.
ALTER TABLE dependency_proxy_group_settings ADD COLUMN anonymous_pull boolean NOT NULL DEFAULT false;
