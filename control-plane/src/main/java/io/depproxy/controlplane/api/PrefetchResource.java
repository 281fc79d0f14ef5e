package io.depproxy.controlplane.api;

import io.depproxy.controlplane.api.dto.PrefetchJobView;
import io.depproxy.controlplane.api.dto.PrefetchRequest;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.prefetch.PrefetchService;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Objects;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    @Consumes({MediaType.APPLICATION_JSON, MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    public Response start(@PathParam("id") String id, @Valid PrefetchRequest body) {
        PrefetchJobView job = PrefetchJobView.of(prefetch.start(caller.get(), id,
                Objects.requireNonNullElse(body.images(), List.of()),
                Objects.requireNonNullElse(body.platforms(), List.of()), Boolean.TRUE.equals(body.withChain())));
        return Response.accepted(job).build();
    }

    @GET
    @Path("{job_id: [0-9]{1,18}}")
    @Operation(summary = "A prefetch job's progress: images and bytes done of total, each image's status and error")
    public PrefetchJobView job(@PathParam("id") String id, @PathParam("job_id") long jobId) {
        return PrefetchJobView.of(prefetch.get(caller.get(), id, jobId));
    }
}
