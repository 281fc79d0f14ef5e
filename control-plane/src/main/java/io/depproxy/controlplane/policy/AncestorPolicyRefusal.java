package io.depproxy.controlplane.policy;

import io.depproxy.controlplane.error.ApiException;

/**
 * 403: the caller owns the group but not the ancestor whose pull policy governs it, so may not replace or remove the
 * group's own. A type of its own so the settings page can show it beside the policy form rather than as an error page.
 */
public final class AncestorPolicyRefusal extends ApiException {

    AncestorPolicyRefusal(String ancestorPath, String groupPath) {
        super(403, "403 Forbidden - the policy of " + ancestorPath + " applies here; only an owner of " + ancestorPath
                + " may replace it for " + groupPath);
    }
}
