package io.depproxy.controlplane.api;

import io.depproxy.controlplane.access.RegistryPrincipal;
import io.depproxy.controlplane.senddata.SendDataResponses;
import io.depproxy.controlplane.access.AuthenticationService;
import io.depproxy.controlplane.access.InternalRequestVerifier;
import io.depproxy.controlplane.cache.BlobCacheService;
import io.depproxy.controlplane.cache.FetchLeaseService;
import io.depproxy.contracts.peer.FetchLeases;
import io.depproxy.controlplane.cache.CacheDecision;
import io.depproxy.controlplane.config.HotPathConfig;
import io.depproxy.controlplane.registry.GroupAccessService;
import io.depproxy.controlplane.cache.ManifestCacheService;
import io.depproxy.controlplane.upstream.PullTarget;
import io.depproxy.controlplane.referrers.ReferrersService;
import io.depproxy.controlplane.registry.RegistryRequest;
import io.depproxy.controlplane.tags.TagListService;
import io.depproxy.controlplane.error.RegistryException;
import io.depproxy.controlplane.registry.MirrorRouting;
import io.depproxy.controlplane.policy.PullPolicy;
import io.depproxy.contracts.Headers;
import io.depproxy.contracts.MediaTypes;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Client-facing registry routes: {@code GET /v2/} (login check), manifest/blob GET and HEAD, the tag list and the
 * referrers index ({@link ReferrersService}) under
 * {@code /v2/<group>/dependency_proxy/containers/<image>/…}, and on a mirror the root routes {@code /v2/<image>/…}
 * ({@link MirrorRouting}). Paths are parsed from the raw (undecoded) request path.
 */
@Path("/v2")
public class RegistryProxyResource {
    @Inject
    AuthenticationService authentication;
    @Inject
    GroupAccessService access;
    @Inject
    BlobCacheService blobs;
    @Inject
    ManifestCacheService manifests;
    @Inject
    SendDataResponses responses;
    @Inject
    TagListService tags;
    @Inject
    MirrorRouting mirror;
    @Inject
    PullPolicy policy;
    @Inject
    ReferrersService referrers;
    @Inject
    FetchLeaseService fetchLeases;
    @Inject
    InternalRequestVerifier internal;
    @Inject
    HotPathConfig hotPath;

    /**
     * The login check. Without a login it is 401 with the token challenge, so that clients log in, unless this
     * instance is a mirror whose group serves anonymous pulls (nodes then pull without any credentials).
     */
    @GET
    public Response root(@HeaderParam("Authorization") String authorization) {
        RegistryPrincipal principal = authentication.authenticateRegistryRequest(authorization);
        if (principal.isAnonymous() && mirror.group().filter(access::allowsAnonymous).isEmpty()) {
            throw RegistryException.unauthorized("authentication required");
        }
        return Response.ok("{}", MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("{path: .+}")
    public Response get(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest http) {
        return pull(authorization, http, false);
    }

    @HEAD
    @Path("{path: .+}")
    public Response head(@HeaderParam("Authorization") String authorization, @Context HttpServerRequest http) {
        return pull(authorization, http, true);
    }

    private Response pull(String authorization, HttpServerRequest http, boolean head) {
        RegistryPrincipal principal = authentication.authenticateRegistryRequest(authorization);
        // a mirror request is the mirror group's: which upstreams its ns may pick depends on that group
        PullTarget mirrorTarget = mirror.isMirrorRequest(http.path())
                ? access.pullTarget(principal, mirror.group().orElseThrow()) : null;
        MirrorRouting.MirrorRequest mirrored;
        RegistryRequest request;
        try {
            mirrored = mirrorTarget != null
                    ? mirror.map(http.path(), http.getParam("ns"), mirrorTarget.upstreams()) : null;
            request = mirrored != null ? mirrored.request() : RegistryRequest.parse(http.path());
        } catch (RegistryException e) {
            // as distribution does, a client without a login is asked for one before its request is judged
            throw principal.isAnonymous() ? RegistryException.unauthorized("authentication required") : e;
        }
        PullTarget target = mirrorTarget != null ? mirrorTarget : access.pullTarget(principal, request.groupPath());
        // the group's pull policy: 403 DENIED naming the rule, or the upstreams the rules let answer
        target = policy.enforce(request, target);
        if (request.kind() == RegistryRequest.Kind.TAGS) {
            TagListService.TagPage page = tags.list(request, target, http.getParam("n"), http.getParam("last"));
            String next = page.nextQuery() == null ? null : mirrored != null
                    ? MirrorRouting.tagsLink(mirrored, page.nextQuery())
                    : request.repositoryPath() + "/tags/list?" + page.nextQuery();
            return tagPage(page, next, head);
        }
        if (request.kind() == RegistryRequest.Kind.REFERRERS) {
            return referrersIndex(referrers.answer(request, target, http.getParam("artifactType")), head);
        }
        AcceleratorMarks marks = head ? AcceleratorMarks.NONE : marks(http);
        CacheDecision decision = request.kind() == RegistryRequest.Kind.BLOB
                ? blobs.decide(request, target, head, marks.readAhead())
                : manifests.decide(request, target, head);
        if (!head) {
            decision = fetchLeases.route(decision, marks.peer());
        }
        Response response = responses.render(decision, request, head);
        return marks.readAhead() && decision instanceof CacheDecision.Fetch ? reusable(response) : response;
    }

    /**
     * A download this replica's read-ahead is told to start may be joined by the client's own GET of the blob (same
     * path and query, same {@code Authorization}) without asking again, for as long as this replica reuses its own
     * access decisions: a revoked token or a changed setting stops working within the same bound either way.
     */
    private Response reusable(Response response) {
        long millis = hotPath.boundedDecisionCacheTtl().toMillis();
        return millis <= 0 ? response
                : Response.fromResponse(response).header(Headers.READ_AHEAD_REUSE, Long.toString(millis)).build();
    }

    /**
     * What the forwarding accelerator says about a GET: its peer URL ({@code peer}, null when none: the miss is then
     * fetched as before, without a lease) and whether it asks on behalf of the client's blob read-ahead (counted apart
     * from the group's pulls).
     */
    private record AcceleratorMarks(String peer, boolean readAhead) {
        static final AcceleratorMarks NONE = new AcceleratorMarks(null, false);
    }

    /**
     * The marks are believed only next to a valid internal JWT (the accelerator's edge drops all of them from
     * clients), checked once, and only when there is a mark to believe.
     */
    private AcceleratorMarks marks(HttpServerRequest http) {
        String peer = http.getHeader(Headers.PEER_URL);
        AcceleratorMarks marks = new AcceleratorMarks(peer != null && FetchLeases.isPeerUrl(peer) ? peer : null,
                "1".equals(http.getHeader(Headers.READ_AHEAD)));
        if (marks.equals(AcceleratorMarks.NONE)) {
            return marks;
        }
        try {
            internal.verifyApiRequest(http.getHeader(Headers.API_REQUEST));
            return marks;
        } catch (RegistryException e) {
            return AcceleratorMarks.NONE;
        }
    }

    /** The referrers index; {@code OCI-Filters-Applied} says the artifactType filter was applied. */
    private static Response referrersIndex(ReferrersService.Answer answer, boolean head) {
        Response.ResponseBuilder response = Response.ok(head ? null : answer.body(), MediaTypes.OCI_INDEX)
                .header(Headers.CACHE_STATUS, answer.stale() ? "stale" : "hit");
        if (answer.stale()) {
            response.header("Warning", SendDataResponses.STALE_WARNING);
        }
        if (answer.filtered()) {
            response.header("OCI-Filters-Applied", "artifactType");
        }
        return response.build();
    }

    /** A page of tags; the next page's link is on our path, relative as the distribution spec writes it. */
    private static Response tagPage(TagListService.TagPage page, String next, boolean head) {
        Response.ResponseBuilder response = Response.ok(head ? null : page.body(), MediaType.APPLICATION_JSON)
                .header(Headers.CACHE_STATUS, page.stale() ? "stale" : "hit");
        if (page.stale()) {
            response.header("Warning", SendDataResponses.STALE_WARNING);
        }
        if (next != null) {
            response.header("Link", "<" + next + ">; rel=\"next\"");
        }
        return response.build();
    }
}
