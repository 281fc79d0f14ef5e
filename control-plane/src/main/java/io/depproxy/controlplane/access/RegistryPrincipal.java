package io.depproxy.controlplane.access;

/**
 * Who a registry request acts for. A registry token names only {@code kind} and {@code tokenId}; everything else is
 * re-read from the database on every request, so revoking the underlying token takes effect at once.
 */
public record RegistryPrincipal(Kind kind, long tokenId, Long userId, String username, boolean admin,
                                Long deployTokenGroupId) {

    private static final RegistryPrincipal ANONYMOUS_PRINCIPAL =
            new RegistryPrincipal(Kind.ANONYMOUS, 0, null, "anonymous", false, null);

    public enum Kind {
        PERSONAL_ACCESS_TOKEN("pat"),
        DEPLOY_TOKEN("deploy_token"),
        /** No login: served only by groups that allow anonymous pulls. */
        ANONYMOUS("anonymous");

        private final String claim;

        Kind(String claim) {
            this.claim = claim;
        }

        public String claim() {
            return claim;
        }

        public static Kind fromClaim(String claim) {
            for (Kind kind : values()) {
                if (kind.claim.equals(claim)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("unknown token kind " + claim);
        }
    }

    public static RegistryPrincipal user(long tokenId, long userId, String username, boolean admin) {
        return new RegistryPrincipal(Kind.PERSONAL_ACCESS_TOKEN, tokenId, userId, username, admin, null);
    }

    public static RegistryPrincipal anonymous() {
        return ANONYMOUS_PRINCIPAL;
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    public static RegistryPrincipal deployToken(long tokenId, String username, long groupId) {
        return new RegistryPrincipal(Kind.DEPLOY_TOKEN, tokenId, null, username, false, groupId);
    }
}
