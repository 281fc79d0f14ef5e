package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.PrefetchJobView;
import io.depproxy.controlplane.api.dto.PrefetchRequest;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.prefetch.PrefetchService;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code /api/v4/groups/:id/dependency_proxy/prefetch}: pull images into the cache before they are needed. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path("/api/v4/groups/{id: .+}/dependency_proxy/prefetch")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "dependency proxy")
public class PrefetchResource {
    @Inject
    CurrentCaller caller;
    @Inject
    PrefetchService prefetch;

    @POST
    @Operation(summary = "Start a prefetch job (developers): images (name[:tag] or name@digest, as pulled through the "
            + "group's prefix) and optional platforms (os/architecture[/variant]); 202 with the job; 429 while the group"
            + " has DP_PREFETCH_MAX_RUNNING_PER_GROUP unfinished jobs, 503 when this replica's queue is full; with_chain:"
            + " also each image's cosign signature tag, its referrers index and every referrer")
    @RequestBody(content = @Content(schema = @Schema(implementation = PrefetchRequest.class)))
    public Response start(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                          String body) {
        ApiParams params = ApiParams.of(uri, headers, body);
        PrefetchJobView job = PrefetchJobView.of(prefetch.start(caller.get(), id,
                params.list("images").orElse(List.of()), params.list("platforms").orElse(List.of()),
                params.bool("with_chain").orElse(false)));
        return Response.accepted(job).build();
    }

    @GET
    @Path("{job_id: [0-9]{1,18}}")
    @Operation(summary = "A prefetch job's progress: images and bytes done of total, each image's status and error")
    public PrefetchJobView job(@PathParam("id") String id, @PathParam("job_id") long jobId) {
        return PrefetchJobView.of(prefetch.get(caller.get(), id, jobId));
    }
}
