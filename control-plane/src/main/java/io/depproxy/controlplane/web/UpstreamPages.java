package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.api.ParamsBinder;
import io.depproxy.controlplane.api.dto.UpstreamRequest;
import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.upstream.UpstreamConnectionTests;
import io.depproxy.controlplane.upstream.UpstreamService;
import io.depproxy.controlplane.upstream.UpstreamService.UpstreamChange;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.domain.Upstream;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.web.PageModels.Pager;
import io.depproxy.controlplane.web.UpstreamModels.TestResult;
import io.depproxy.controlplane.web.UpstreamModels.UpstreamForm;
import io.depproxy.controlplane.web.UpstreamModels.UpstreamRow;
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
import java.util.Objects;

/**
 * {@code /admin/upstreams} (instance administrators, as the upstreams API): the list with each upstream's health from
 * its last connection test, add, edit, test and delete. The forms are parsed as the API parses its parameters and go
 * through its services, so a bad value gets the API's message and status. The secret is write-only: its field is always
 * empty, and left empty it keeps the stored credentials (a box clears them).
 */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.UPSTREAMS)
@Produces(MediaType.TEXT_HTML)
public class UpstreamPages {
    private static final String UPSTREAM = "{upstream_id: [0-9]{1,18}}";

    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    UpstreamService upstreams;
    @Inject
    UpstreamConnectionTests tests;
    @Inject
    ParamsBinder binder;

    @GET
    public Response list(@Context UriInfo uri, @QueryParam("notice") String notice) {
        return listPage(ApiParams.of(uri), 200, notice, UpstreamForm.EMPTY, null);
    }

    @POST
    public Response create(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        ApiParams params = request.form(uri, headers, body);
        Upstream created;
        try {
            created = upstreams.create(request.caller(), change(params, null));
        } catch (ApiException e) {
            if (refusedValue(e)) {
                return listPage(ApiParams.of(uri), e.status(), null, typed(params), ErrorPages.reason(e));
            }
            throw e;
        }
        return AdminPaths.seeOther(AdminPaths.UPSTREAMS + "/" + created.getId() + "?notice=upstream_created").build();
    }

    @GET
    @Path(UPSTREAM)
    public Response show(@PathParam("upstream_id") long id, @QueryParam("notice") String notice) {
        Upstream upstream = upstreams.get(request.caller(), id);
        return editPage(upstream, 200, notice, stored(upstream), null, null);
    }

    @POST
    @Path(UPSTREAM)
    public Response update(@PathParam("upstream_id") long id, @Context UriInfo uri, @Context HttpHeaders headers,
                           String body) {
        ApiParams params = request.form(uri, headers, body);
        ApiCaller caller = request.caller();
        Upstream current = upstreams.get(caller, id);
        try {
            upstreams.update(caller, id, change(params, current.getUsername()));
        } catch (ApiException e) {
            if (refusedValue(e)) {
                return editPage(upstreams.get(caller, id), e.status(), null, typed(params), ErrorPages.reason(e),
                        null);
            }
            throw e;
        }
        tests.forget(id);
        return AdminPaths.seeOther(AdminPaths.UPSTREAMS + "/" + id + "?notice=upstream_saved").build();
    }

    /** Runs the connection test and shows what the registry answered on the upstream's page. */
    @POST
    @Path(UPSTREAM + "/test")
    public Response test(@PathParam("upstream_id") long id, @Context UriInfo uri, @Context HttpHeaders headers,
                         String body) {
        request.form(uri, headers, body);
        ApiCaller caller = request.caller();
        TestResult result = TestResult.of(tests.test(caller, id));
        Upstream upstream = upstreams.get(caller, id);
        return editPage(upstream, 200, null, stored(upstream), null, result);
    }

    /** A refusal (the default upstream, or groups still listing it) shows the upstream's page with the reason. */
    @POST
    @Path(UPSTREAM + "/delete")
    public Response delete(@PathParam("upstream_id") long id, @Context UriInfo uri, @Context HttpHeaders headers,
                           String body) {
        request.form(uri, headers, body);
        ApiCaller caller = request.caller();
        try {
            upstreams.delete(caller, id);
        } catch (ApiException e) {
            if (e.status() == 409) {
                Upstream upstream = upstreams.get(caller, id);
                return editPage(upstream, 409, null, stored(upstream), ErrorPages.reason(e), null);
            }
            throw e;
        }
        tests.forget(id);
        return AdminPaths.seeOther(AdminPaths.UPSTREAMS + "?notice=upstream_deleted").build();
    }

    /**
     * The API's parameters, with the page's write-only secret: an empty secret field keeps the stored credentials
     * unless the user name was changed (the service then asks for both) or {@code clear_credentials} is ticked.
     */
    private UpstreamChange change(ApiParams params, String storedUsername) {
        UpstreamChange change = binder.bindValid(params, UpstreamRequest.class).change();
        String username = change.username();
        String secret = change.secret();
        if (params.bool("clear_credentials").orElse(false)) {
            username = "";
            secret = "";
        } else if (secret == null || secret.isEmpty()) {
            String typed = username == null ? "" : username.trim();
            boolean unchanged = username == null || typed.equals(Objects.requireNonNullElse(storedUsername, ""));
            username = unchanged ? null : typed;
            secret = unchanged || !typed.isEmpty() ? null : "";
        }
        return new UpstreamChange(change.name(), change.url(), username, secret, change.singleNamePrefix(),
                change.manifestRevalidateAfter(), change.openToAllGroups());
    }

    private static boolean refusedValue(ApiException e) {
        return e.status() == 400 || e.status() == 409 || e.status() == 422;
    }

    private static UpstreamForm typed(ApiParams params) {
        return new UpstreamForm(params.string("name").orElse(""), params.string("url").orElse(""),
                params.string("username").orElse(""), params.string("single_name_prefix").orElse(""),
                params.string("manifest_revalidate_after").orElse(""), params.string("open_to_all_groups").orElse(""));
    }

    private static UpstreamForm stored(Upstream upstream) {
        return new UpstreamForm(upstream.getName(), upstream.getUrl(),
                Objects.requireNonNullElse(upstream.getUsername(), ""),
                Objects.requireNonNullElse(upstream.getSingleNamePrefix(), ""),
                upstream.getManifestRevalidateAfter() == null ? "0" : upstream.getManifestRevalidateAfter().toString(),
                "");
    }

    private Response listPage(ApiParams query, int status, String notice, UpstreamForm form, String error) {
        Page<UpstreamRow> page = upstreams.list(request.caller(), query.page())
                .map(upstream -> UpstreamRow.of(upstream, tests.last(upstream.getId())));
        return Response.status(status).entity(UpstreamTemplates.upstreams(frames.of("Upstreams", notice),
                page.items(), Pager.of(page, AdminPaths.UPSTREAMS, ""), form, error)).build();
    }

    private Response editPage(Upstream upstream, int status, String notice, UpstreamForm form, String error,
                              TestResult tested) {
        UpstreamRow row = UpstreamRow.of(upstream, tests.last(upstream.getId()));
        return Response.status(status).entity(UpstreamTemplates.upstream(frames.of("Upstream " + upstream.getName(),
                notice), row, form, error, tested != null ? tested : row.health())).build();
    }
}
