package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.access.GroupService;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.cache.CacheListingService;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupStatisticsRepository;
import io.depproxy.controlplane.domain.Page;
import io.depproxy.controlplane.domain.PageRequest;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.PageModels.Pager;
import io.depproxy.controlplane.web.PageModels.Statistics;
import io.quarkus.qute.TemplateInstance;
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
import java.time.LocalDate;
import java.time.ZoneOffset;

/** {@code /admin/groups}: the groups the caller can see with their image prefixes, one group's overview, creation. */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.GROUPS)
@Produces(MediaType.TEXT_HTML)
public class GroupPages {
    /** The statistics chart's span. */
    static final int CHART_DAYS = 30;

    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    GroupService groups;
    @Inject
    GroupPermissions permissions;
    @Inject
    CacheListingService cache;
    @Inject
    ControlPlaneConfig config;

    @GET
    public TemplateInstance list(@Context UriInfo uri, @QueryParam("notice") String notice) {
        return list(ApiParams.of(uri), notice, FormErrors.NONE);
    }

    /**
     * A top-level group (administrators) or, with {@code parent_id}, a subgroup (maintainers of the parent). A refused
     * name or path (400, 409, 422) shows the page of the form again, as typed, with the message beside the field.
     */
    @POST
    public Response create(@Context UriInfo uri, @Context HttpHeaders headers, String body) {
        ApiParams params = request.form(uri, headers, body);
        Long parentId = params.longValue("parent_id").orElse(null);
        Group group;
        try {
            group = groups.create(request.caller(), params.string("name").orElse(null),
                    params.string("path").orElse(null), parentId);
        } catch (ApiException e) {
            if (e.status() != 400 && e.status() != 409 && e.status() != 422) {
                throw e;
            }
            TemplateInstance page = parentId == null
                    ? list(ApiParams.of(uri), null, FormErrors.of("create-group", params, e))
                    : overview(parentId.toString(), null, FormErrors.of("create-subgroup", params, e));
            return Response.status(e.status()).entity(page).build();
        }
        return AdminPaths.seeOther(AdminPaths.group(group.getId()) + "?notice=group_created").build();
    }

    @GET
    @Path("{id: [0-9]{1,18}}")
    public TemplateInstance overview(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return overview(id, notice, FormErrors.NONE);
    }

    private TemplateInstance list(ApiParams params, String notice, FormErrors errors) {
        String search = params.string("search").orElse("").trim();
        Page<GroupRow> page = groups.list(request.caller(), search, params.page()).map(this::row);
        return Pages.groups(frames.of("Groups", notice), page.items(), Pager.of(page, AdminPaths.GROUPS, search),
                search, errors);
    }

    private TemplateInstance overview(String id, String notice, FormErrors errors) {
        ApiCaller caller = request.caller();
        GroupRow group = row(permissions.require(caller, id, GroupMember.GUEST));
        CacheListingService.Statistics numbers = cache.statistics(caller, id);
        GroupStatisticsRepository.Counters counters = numbers.counters();
        long pulls = counters.hits() + counters.misses();
        Statistics statistics = new Statistics(numbers.stored().manifests(), numbers.stored().blobs(),
                Formats.bytes(numbers.stored().totalBytes()), counters.hits(), counters.misses(),
                Formats.percent(counters.hits(), pulls), Formats.bytes(counters.bytesServedFromCache()),
                Formats.bytes(counters.bytesFetchedUpstream()));
        String chart = StatisticsChart.svg(cache.recentDays(caller, id, CHART_DAYS), LocalDate.now(ZoneOffset.UTC),
                CHART_DAYS);
        Page<GroupRow> subgroups = groups.subgroups(caller, id, new PageRequest(1, PageRequest.MAX_PER_PAGE))
                .map(this::row);
        return Pages.group(frames.of(group.fullPath(), notice), group, caller.user().getUsername(), statistics, chart,
                CHART_DAYS, subgroups.items(), subgroups.total(), errors);
    }

    private GroupRow row(Group group) {
        return GroupRow.of(group, config.externalUrl());
    }
}
