package io.depproxy.controlplane.access;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** The username and secret of an {@code Authorization: Basic …} header. */
public record BasicCredentials(String username, String secret) {

    public static Optional<BasicCredentials> parse(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                    StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The token of an {@code Authorization: Bearer …} header, if that is what it is. */
    public static Optional<String> bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    @Override
    public String toString() {
        return "BasicCredentials[" + username + ", masked]";
    }
}
