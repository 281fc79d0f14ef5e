package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.api.dto.PrefetchJobView;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.prefetch.PrefetchService;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.Pager;
import io.depproxy.controlplane.web.PrefetchModels.ImageRow;
import io.depproxy.controlplane.web.PrefetchModels.JobRow;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Arrays;
import java.util.List;

/**
 * A group's prefetch jobs: start one from a list of images and platforms (developers and up, the API's rules and
 * limits), the jobs list, and a job's page, whose inline script polls {@code …/progress} (the API's JSON view of the
 * job, through the session) until the job has finished, so its progress moves without a reload.
 */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.GROUPS + "/{id: [0-9]{1,18}}/prefetch")
public class PrefetchPages {
    private static final String JOB = "{job_id: [0-9]{1,18}}";

    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    PrefetchService prefetch;
    @Inject
    GroupPermissions permissions;
    @Inject
    ControlPlaneConfig config;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response list(@PathParam("id") String id, @Context UriInfo uri) {
        return listPage(id, ApiParams.of(uri), 200, "", "", null);
    }

    /** {@code images}: one reference a line (or comma-separated); {@code platforms}: comma-separated, optional. */
    @POST
    @Produces(MediaType.TEXT_HTML)
    public Response start(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                          String body) {
        ApiParams params = request.form(uri, headers, body);
        PrefetchService.JobState started;
        try {
            started = prefetch.start(request.caller(), id, words(params.list("images").orElse(List.of())),
                    words(params.list("platforms").orElse(List.of())), params.bool("with_chain").orElse(false));
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 422 || e.status() == 429 || e.status() == 503) {
                return listPage(id, ApiParams.of(uri), e.status(), params.string("images").orElse(""),
                        params.string("platforms").orElse(""), ErrorPages.reason(e));
            }
            throw e;
        }
        return AdminPaths.seeOther(AdminPaths.group(Long.parseLong(id)) + "/prefetch/" + started.job().getId())
                .build();
    }

    @GET
    @Path(JOB)
    @Produces(MediaType.TEXT_HTML)
    public Response job(@PathParam("id") String id, @PathParam("job_id") long jobId) {
        ApiCaller caller = request.caller();
        GroupRow group = group(caller, id);
        PrefetchService.JobState state = prefetch.get(caller, id, jobId);
        JobRow job = JobRow.of(PrefetchJobView.of(state), group.url());
        List<ImageRow> images = state.images().stream().map(ImageRow::of).toList();
        return Response.ok(UpstreamTemplates.prefetchJob(frames.of("Prefetch job " + jobId, null), group, job,
                images)).build();
    }

    /** The job as the API shows it, for the job page's script. */
    @GET
    @Path(JOB + "/progress")
    @Produces(MediaType.APPLICATION_JSON)
    public PrefetchJobView progress(@PathParam("id") String id, @PathParam("job_id") long jobId) {
        return PrefetchJobView.of(prefetch.get(request.caller(), id, jobId));
    }

    private Response listPage(String id, ApiParams query, int status, String images, String platforms,
                              String error) {
        ApiCaller caller = request.caller();
        GroupRow group = group(caller, id);
        Page<JobRow> page = prefetch.list(caller, id, query.page())
                .map(state -> JobRow.of(PrefetchJobView.of(state), group.url()));
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).entity(UpstreamTemplates.prefetchJobs(
                frames.of("Prefetch into " + group.fullPath(), null), group, page.items(),
                Pager.of(page, group.url() + "/prefetch", ""), images, platforms, error)).build();
    }

    private GroupRow group(ApiCaller caller, String id) {
        return GroupRow.of(permissions.require(caller, id, GroupMember.GUEST), config.externalUrl());
    }

    /** The textarea's lines: one image a line is how people paste a list. */
    private static List<String> words(List<String> values) {
        return values.stream().flatMap(value -> Arrays.stream(value.split("\\s+"))).filter(w -> !w.isEmpty())
                .toList();
    }
}
