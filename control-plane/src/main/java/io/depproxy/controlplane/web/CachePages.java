package io.depproxy.controlplane.web;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.cache.BlobKinds;
import io.depproxy.controlplane.cache.CacheListingService;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.CachedBlob;
import io.depproxy.controlplane.domain.CachedManifest;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.web.PageModels.CacheRow;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.Pager;
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
import java.util.Map;
import java.util.function.BiFunction;

/** A group's cached manifests and blobs (paginated, searchable), and the purge with its confirmation step. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.GROUPS + "/{id: [0-9]{1,18}}")
@Produces(MediaType.TEXT_HTML)
public class CachePages {
    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    CacheListingService cache;
    @Inject
    GroupPermissions permissions;
    @Inject
    ControlPlaneConfig config;
    @Inject
    BlobKinds blobKinds;

    /** {@code ?search=} matches the image name. */
    @GET
    @Path("manifests")
    public Response manifests(@PathParam("id") String id, @Context UriInfo uri) {
        return listing(id, uri, true, (search, page) -> cache.manifests(request.caller(), id, search, page)
                .map(CachePages::row));
    }

    /** {@code ?search=} matches the digest. Each blob is named by what the group's image manifests say it is. */
    @GET
    @Path("blobs")
    public Response blobs(@PathParam("id") String id, @Context UriInfo uri) {
        return listing(id, uri, false, (search, page) -> {
            Page<CachedBlob> blobs = cache.blobs(request.caller(), id, search, page);
            Map<String, BlobKinds.Kind> kinds = blobKinds.of(Long.parseLong(id),
                    blobs.items().stream().map(CachedBlob::getDigest).toList());
            return blobs.map(blob -> row(blob, kinds.get(blob.getDigest())));
        });
    }

    @GET
    @Path("purge")
    public Response confirmPurge(@PathParam("id") String id) {
        return purgePage(group(id), 200, FormErrors.NONE);
    }

    /** Owners only (the service decides); the group's full path typed into the form is the confirmation. */
    @POST
    @Path("purge")
    public Response purge(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                          String body) {
        ApiParams params = request.form(uri, headers, body);
        GroupRow group = group(id);
        if (!params.string("confirm").orElse("").trim().equals(group.fullPath())) {
            return purgePage(group, 400, FormErrors.of("purge-form", "confirm",
                    "Type the group's full path, " + group.fullPath() + ", to confirm the purge."));
        }
        cache.purge(request.caller(), id);
        return AdminPaths.seeOther(group.url() + "?notice=purge_started").build();
    }

    private Response listing(String id, UriInfo uri, boolean manifests,
                             BiFunction<String, PageRequest, Page<CacheRow>> rows) {
        ApiParams params = ApiParams.of(uri);
        String search = params.string("search").orElse("").trim();
        Page<CacheRow> page = rows.apply(search, params.page());
        GroupRow group = group(id);
        String path = group.url() + (manifests ? "/manifests" : "/blobs");
        String title = (manifests ? "Cached manifests of " : "Cached blobs of ") + group.fullPath();
        return Response.ok(Pages.cache(frames.of(title, null), group, manifests, page.items(),
                Pager.of(page, path, search), search)).build();
    }

    private Response purgePage(GroupRow group, int status, FormErrors errors) {
        return Response.status(status).entity(Pages.purge(frames.of("Purge the cache of " + group.fullPath(), null),
                group, errors)).build();
    }

    private GroupRow group(String id) {
        return GroupRow.of(permissions.require(request.caller(), id, GroupMember.GUEST), config.externalUrl());
    }

    private static CacheRow row(CachedManifest manifest) {
        String fileName = manifest.getFileName();
        String reference = fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        return new CacheRow(reference, manifestKind(manifest.getContentType()), manifest.getDigest(),
                Formats.bytes(manifest.getSize()), Formats.time(manifest.getReadAt()),
                Formats.status(manifest.getStatus()));
    }

    /**
     * A blob is named by its kind (its stored file name, {@code <hex>.gz}, says nothing about it); one no cached
     * manifest names is just a blob.
     */
    private static CacheRow row(CachedBlob blob, BlobKinds.Kind kind) {
        String name = kind == null ? "blob" : switch (kind) {
            case CONFIG -> "image config";
            case LAYER -> "layer";
        };
        return new CacheRow(name, name, blob.getDigest(), Formats.bytes(blob.getSize()),
                Formats.time(blob.getReadAt()), Formats.status(blob.getStatus()));
    }

    /** An index (a manifest list) names one manifest per platform; a manifest names an image's config and layers. */
    static String manifestKind(String contentType) {
        return MediaTypes.OCI_INDEX.equals(contentType) || MediaTypes.DOCKER_MANIFEST_LIST.equals(contentType)
                ? "image index" : "image manifest";
    }
}
