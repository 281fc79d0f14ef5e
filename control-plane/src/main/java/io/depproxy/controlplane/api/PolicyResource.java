package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.PolicyCheckRequest;
import io.depproxy.controlplane.api.dto.PolicyCheckView;
import io.depproxy.controlplane.api.dto.PolicyRequest;
import io.depproxy.controlplane.api.dto.PolicyView;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.policy.PolicySettings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code /api/v4/groups/:id/dependency_proxy/policy}: the group's pull policy (ordered allow/deny rules, the
 * signature requirement), inherited by subgroups, and its dry run ({@code …/policy/check}).
 */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups/{id: .+}/dependency_proxy/policy")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dependency proxy")
public class PolicyResource {
    @Inject
    CurrentCaller caller;
    @Inject
    PolicySettings settings;
    @Inject
    PolicyInput input;

    @GET
    @Operation(summary = "The pull policy that applies to the group: its own, or its nearest ancestor's"
            + " (inherited_from names that group)")
    public PolicyView get(@PathParam("id") String id) {
        return view(settings.view(caller.get(), id));
    }

    @PUT
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Replace the group's own pull policy (owners; under an ancestor with an own policy, owners of"
            + " the outermost such ancestor): rules in order, the first matching rule decides; with any allow rule,"
            + " what no rule names is denied; signatures.mode warn or enforce needs a key")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PolicyRequest.class)))
    public PolicyView replace(@PathParam("id") String id, String body) {
        return view(settings.replace(caller.get(), id, () -> input.policy(body)));
    }

    @DELETE
    @Operation(summary = "Remove the group's own pull policy (owners; under an ancestor with an own policy, owners of"
            + " the outermost such ancestor): it inherits its ancestors' again")
    public PolicyView remove(@PathParam("id") String id) {
        return view(settings.remove(caller.get(), id));
    }

    @POST
    @Path("check")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Dry run: what a pull of an image reference would get from the policy (members)")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = PolicyCheckRequest.class)))
    public PolicyCheckView check(@PathParam("id") String id, String body) {
        return PolicyCheckView.of(settings.check(caller.get(), id, () -> input.checkedImage(body)));
    }

    private static PolicyView view(PolicySettings.Shown shown) {
        return PolicyView.of(shown.policy(), shown.groupPath());
    }
}
