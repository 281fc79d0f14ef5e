-- A group's own pull policy (issue 21): ordered allow/deny rules on upstream, image and tag, and whether pulled
-- images must carry a signature by one of its keys. A group without a row inherits its nearest ancestor's policy.
-- rules: a JSON array, first rule first, of {"action","upstream","image","tag"} (tag may be null).
-- signature_mode: off | warn | enforce. signature_keys: a JSON array of PEM PUBLIC KEY blocks (cosign.pub).
CREATE TABLE dependency_proxy_group_policies (
    group_id       bigint PRIMARY KEY REFERENCES namespaces (id) ON DELETE CASCADE,
    rules          text NOT NULL DEFAULT '[]',
    signature_mode varchar(16) NOT NULL DEFAULT 'off',
    signature_keys text NOT NULL DEFAULT '[]',
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dependency_proxy_group_policies_mode_check CHECK (signature_mode IN ('off', 'warn', 'enforce'))
);
