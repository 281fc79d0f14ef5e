package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.api.ParamsBinder;
import io.depproxy.controlplane.api.PolicyInput;
import io.depproxy.controlplane.api.dto.PolicyCheckView;
import io.depproxy.controlplane.api.dto.UpdateSettingsRequest;
import io.depproxy.controlplane.api.dto.UpdateTtlPolicyRequest;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupSetting;
import io.depproxy.controlplane.domain.ImageTtlPolicy;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.policy.AncestorPolicyRefusal;
import io.depproxy.controlplane.policy.PolicySettings;
import io.depproxy.controlplane.settings.DependencyProxySettingsService;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.SettingsForm;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.function.Consumer;

/**
 * A group's dependency proxy settings, upstream credentials, TTL policy and pull policy (with its dry run). The forms go through the API's own
 * parameter parsing and services, so a bad value gets the API's message (beside its field, in the label's words, with
 * what was typed kept; see {@link FormErrors}) and the API's status, and a change the user may not make (an owner's
 * {@code anonymous_pull}) the API's 403; a pull policy an ancestor's policy governs, the API's 403 beside the
 * policy form. Owners see {@code anonymous_pull} read-only: their form does not send it.
 */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.GROUPS + "/{id: [0-9]{1,18}}")
@Produces(MediaType.TEXT_HTML)
public class SettingsPages {
    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    DependencyProxySettingsService settings;
    @Inject
    GroupPermissions permissions;
    @Inject
    ControlPlaneConfig config;
    @Inject
    PolicySettings policies;
    @Inject
    PolicyInput policyInput;
    @Inject
    ParamsBinder binder;

    @GET
    @Path("settings")
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return page(id, 200, notice, FormErrors.NONE, null);
    }

    /** The settings form and the upstream credentials form: absent fields stay as they are. */
    @POST
    @Path("settings")
    public Response updateSettings(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                                   String body) {
        ApiParams params = request.form(uri, headers, body);
        // both forms post here; the credentials form is the one that sends identity and secret
        String form = params.has("identity") || params.has("secret") ? "credentials-form" : "settings-form";
        return save(id, form, params, "settings_saved", caller -> settings.updateSettings(caller, id,
                binder.bindValid(params, UpdateSettingsRequest.class).change()));
    }

    @POST
    @Path("ttl_policy")
    public Response updateTtlPolicy(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                                    String body) {
        ApiParams params = request.form(uri, headers, body);
        return save(id, "ttl-form", params, "ttl_saved", caller -> {
            UpdateTtlPolicyRequest ttl = binder.bindValid(params, UpdateTtlPolicyRequest.class);
            settings.updateTtlPolicy(caller, id, ttl.enabled(), ttl.ttl());
        });
    }

    /** The pull policy form: the group's own rules and signature check replace what it had (owners). */
    @POST
    @Path("policy")
    public Response updatePolicy(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                                 String body) {
        ApiParams params = request.form(uri, headers, body);
        try {
            return save(id, "policy-form", params, "policy_saved", caller -> policies.replace(caller, id,
                    () -> PolicyLines.change(params, policyInput)));
        } catch (AncestorPolicyRefusal e) {
            return governedByAncestor(id, params, e);
        }
    }

    /** Removes the group's own policy: it inherits its ancestors' again (owners); the form's CSRF token first. */
    @POST
    @Path("policy/remove")
    public Response removePolicy(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                                 String body) {
        request.form(uri, headers, body);
        try {
            policies.remove(request.caller(), id);
        } catch (AncestorPolicyRefusal e) {
            return governedByAncestor(id, null, e);
        }
        return AdminPaths.seeOther(AdminPaths.GROUPS + "/" + id + "/settings?notice=policy_removed").build();
    }

    /** An owner of the group only, under an ancestor's policy: the page again, the reason beside the policy form. */
    private Response governedByAncestor(String id, ApiParams params, AncestorPolicyRefusal refusal) {
        String reason = ErrorPages.reason(refusal);
        return page(id, refusal.status(), null, FormErrors.of("policy-form", params, "policy",
                Character.toUpperCase(reason.charAt(0)) + reason.substring(1) + "."), null);
    }

    /** The dry run: the page again with what a pull of the image would get. */
    @POST
    @Path("policy/check")
    public Response checkPolicy(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                                String body) {
        ApiParams params = request.form(uri, headers, body);
        String image = params.string("check_image").orElse("");
        PolicyCheckView answer;
        try {
            answer = PolicyCheckView.of(policies.check(request.caller(), id, () -> image));
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 422) {
                return page(id, e.status(), null, FormErrors.of("check-form", params,
                        new ApiException(e.status(), e.getMessage().replace(" - image", " - check_image"))), null);
            }
            throw e;
        }
        return page(id, 200, null, FormErrors.NONE, answer);
    }

    /**
     * Runs the change; a rejected value (400, 422) shows the page again with the form as it was posted and the
     * message beside its field, anything else fails.
     */
    private Response save(String id, String form, ApiParams params, String notice, Consumer<ApiCaller> change) {
        try {
            change.accept(request.caller());
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 422) {
                return page(id, e.status(), null, FormErrors.of(form, params, e), null);
            }
            throw e;
        }
        return AdminPaths.seeOther(AdminPaths.GROUPS + "/" + id + "/settings?notice=" + notice).build();
    }

    private Response page(String id, int status, String notice, FormErrors errors, PolicyCheckView check) {
        ApiCaller caller = request.caller();
        GroupRow group = GroupRow.of(permissions.require(caller, id, GroupMember.GUEST), config.externalUrl());
        GroupSetting setting = settings.settings(caller, id);
        ImageTtlPolicy policy = settings.ttlPolicy(caller, id);
        SettingsForm form = new SettingsForm(setting.isEnabled(), setting.isAnonymousPull(), caller.admin(),
                setting.getManifestRevalidateAfter(),
                setting.getIdentity(), setting.getEncryptedSecret() != null, policy.isEnabled(),
                policy.getTtl() == null ? ImageTtlPolicy.DEFAULT_TTL_DAYS : policy.getTtl(),
                ImageTtlPolicy.MAX_TTL_DAYS, GroupSetting.MAX_REVALIDATE_AFTER_SECONDS);
        PolicyForm pullPolicy = PolicyForm.of(policies.view(caller, id), check,
                check == null ? "" : check.reference());
        return Response.status(status).entity(Pages.settings(frames.of("Settings of " + group.fullPath(), notice),
                group, form, pullPolicy, errors)).build();
    }
}
