package io.depproxy.controlplane.access;

import io.depproxy.controlplane.error.ApiException;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a request for a new token (a personal access token, a deploy token) must hold, in GitLab's words: a name and
 * scopes (400 when missing), a name of at most 255 characters, scopes among those the kind of token allows, an expiry
 * in the future (422 otherwise). The caller's permission is the service's to check, between the two steps.
 */
final class NewTokenRules {
    private NewTokenRules() {
    }

    static void requirePresent(String name, List<String> scopes) {
        if (name == null) {
            throw ApiException.missing("name");
        }
        if (scopes == null) {
            throw ApiException.missing("scopes");
        }
    }

    /** The granted scopes, once the request holds; {@code allowedText} lists {@code allowed} for the message. */
    static Set<String> granted(String name, List<String> scopes, Set<String> allowed, String allowedText,
                               Instant expiresAt) {
        if (name.isBlank() || name.length() > 255) {
            throw ApiException.invalid("name is invalid");
        }
        Set<String> granted = new LinkedHashSet<>(scopes);
        if (granted.isEmpty() || !allowed.containsAll(granted)) {
            throw ApiException.invalid("scopes does not have a valid value (allowed: " + allowedText + ")");
        }
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw ApiException.invalid("expires_at must be in the future");
        }
        return granted;
    }
}
