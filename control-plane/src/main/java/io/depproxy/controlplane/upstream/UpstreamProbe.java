package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.outbound.Origin;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * The connection test of an upstream: what {@code GET /v2/} answers without credentials (status and challenge), and,
 * when credentials are given, what it answers with them (Basic, or a token of the challenge's realm).
 */
@Singleton
public class UpstreamProbe {
    private final UpstreamHttp http;
    private final UpstreamAuthenticator authenticator;

    /** {@code authenticatedStatus}: null when no credentials were tried; {@code message}: why it failed, or null. */
    public record Report(boolean reachable, Integer status, AuthChallenge challenge, boolean credentialsTried,
                         Integer authenticatedStatus, boolean ok, String message) {
    }

    @Inject
    public UpstreamProbe(UpstreamHttp http, UpstreamAuthenticator authenticator) {
        this.http = http;
        this.authenticator = authenticator;
    }

    /** The connection test of a URL that is no stored upstream (its calls are counted as unknown). */
    public Report probe(String baseUrl, UpstreamCredentials credentials) {
        return probe(UpstreamMetrics.UNKNOWN, baseUrl, credentials);
    }

    /** The connection test of the upstream called {@code name} (its calls are counted under that name). */
    public Report probe(String name, String baseUrl, UpstreamCredentials credentials) {
        URI root = URI.create(baseUrl + "/v2/");
        Origin upstream = Origin.of(baseUrl);
        UpstreamHttp.Result anonymous;
        try {
            anonymous = http.get(name, upstream, root, Map.of());
        } catch (UpstreamException e) {
            return new Report(false, null, AuthChallenge.NONE, false, null, false, e.getMessage());
        }
        AuthChallenge challenge = anonymous.status() == 401
                ? AuthChallenge.parse(anonymous.header("WWW-Authenticate")) : AuthChallenge.NONE;
        if (credentials == null) {
            boolean ok = anonymous.status() == 200 || anonymous.status() == 401 && challenge.scheme()
                    == AuthChallenge.Scheme.BEARER;
            return new Report(true, anonymous.status(), challenge, false, null, ok,
                    ok ? null : "GET /v2/ answered " + anonymous.status());
        }
        try {
            Optional<String> authorization = switch (challenge.scheme()) {
                case NONE -> Optional.empty();
                case BASIC -> Optional.of(credentials.basicHeader());
                case BEARER -> Optional.of("Bearer " + authenticator.token(name, baseUrl, challenge, "",
                        Optional.of(credentials)));
            };
            UpstreamHttp.Result authenticated = http.get(name, upstream, root,
                    authorization.map(value -> Map.of("Authorization", value)).orElse(Map.of()));
            boolean ok = authenticated.status() == 200;
            return new Report(true, anonymous.status(), challenge, true, authenticated.status(), ok,
                    ok ? null : "GET /v2/ with the credentials answered " + authenticated.status());
        } catch (UpstreamException e) {
            return new Report(true, anonymous.status(), challenge, true, null, false, e.getMessage());
        }
    }
}
