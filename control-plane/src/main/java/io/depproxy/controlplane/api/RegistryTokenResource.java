package io.depproxy.controlplane.api;

import io.depproxy.contracts.upload.FinalizeForm;
import io.depproxy.controlplane.access.AuthenticationService;
import io.depproxy.controlplane.access.BasicCredentials;
import io.depproxy.controlplane.access.RegistryPrincipal;
import io.depproxy.controlplane.access.RegistryTokenService;
import io.depproxy.controlplane.api.dto.TokenResponse;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.AnonymousAccess;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;

/**
 * {@code /jwt/auth}: Docker's token endpoint (GET with HTTP Basic) and the OAuth2 password grant containerd tries
 * first (POST form). Both answer {@code {"token","access_token","expires_in","issued_at"}}.
 */
@Path("/jwt/auth")
@Produces(MediaType.APPLICATION_JSON)
public class RegistryTokenResource {
    @Inject
    AuthenticationService authentication;
    @Inject
    RegistryTokenService tokens;
    @Inject
    AnonymousAccess anonymous;

    /** Without credentials, an anonymous token where the scopes allow it ({@link AnonymousAccess}), else 401. */
    @GET
    public TokenResponse basic(@HeaderParam("Authorization") String authorization,
                               @QueryParam("scope") List<String> scopes) {
        if (authorization == null && anonymous.mayIssueToken(scopes)) {
            return issue(RegistryPrincipal.anonymous());
        }
        BasicCredentials credentials = BasicCredentials.parse(authorization)
                .orElseThrow(() -> RegistryException.unauthorized("HTTP Basic: Access denied"));
        return issue(authentication.login(credentials.username(), credentials.secret()));
    }

    /** The body is read raw so that any content type gets a registry answer (never 415). */
    @POST
    public TokenResponse oauth(@HeaderParam("Authorization") String authorization, String body) {
        Map<String, String> form = FinalizeForm.parse(body == null ? "" : body);
        if ("password".equals(form.get("grant_type")) && form.containsKey("username")) {
            return issue(authentication.login(form.get("username"), form.get("password")));
        }
        BasicCredentials credentials = BasicCredentials.parse(authorization)
                .orElseThrow(() -> RegistryException.unauthorized("unsupported grant: use grant_type=password"));
        return issue(authentication.login(credentials.username(), credentials.secret()));
    }

    private TokenResponse issue(RegistryPrincipal principal) {
        RegistryTokenService.IssuedToken issued = tokens.issue(principal);
        return new TokenResponse(issued.token(), issued.token(), issued.expiresInSeconds(), issued.issuedAt().toString());
    }
}
