package io.depproxy.controlplane.web;

import io.depproxy.controlplane.access.ApiCaller;
import io.depproxy.controlplane.access.GroupPermissions;
import io.depproxy.controlplane.api.ApiParams;
import io.depproxy.controlplane.api.ParamsBinder;
import io.depproxy.controlplane.api.dto.GroupUpstreamsRequest;
import io.depproxy.controlplane.upstream.GroupUpstreamService;
import io.depproxy.controlplane.upstream.UpstreamCatalog;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.GroupMember;
import io.depproxy.controlplane.domain.GroupRepository;
import io.depproxy.controlplane.domain.TokenScopes;
import io.depproxy.controlplane.error.ApiException;
import io.depproxy.controlplane.upstream.UpstreamEndpoint;
import io.depproxy.controlplane.web.PageModels.GroupRow;
import io.depproxy.controlplane.web.UpstreamModels.GroupUpstreamRow;
import io.depproxy.controlplane.web.UpstreamModels.UpstreamChoice;
import io.quarkus.narayana.jta.QuarkusTransaction;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A group's upstream order and fallback settings (members read, owners change; the API's rules). Every control is a
 * button of a small form posting the whole list in its new order ({@code upstream_ids}, as the API takes it), so
 * moving an upstream up or down, removing or adding one works from the keyboard without a script.
 */
@RolesAllowed({TokenScopes.API, TokenScopes.ADMIN})
@Path(AdminPaths.GROUPS + "/{id: [0-9]{1,18}}/upstreams")
@Produces(MediaType.TEXT_HTML)
public class GroupUpstreamPages {
    @Inject
    AdminRequest request;
    @Inject
    PageFrames frames;
    @Inject
    GroupUpstreamService service;
    @Inject
    GroupPermissions permissions;
    @Inject
    GroupRepository groups;
    @Inject
    UpstreamCatalog catalog;
    @Inject
    ControlPlaneConfig config;
    @Inject
    ParamsBinder binder;

    @GET
    public Response show(@PathParam("id") String id, @QueryParam("notice") String notice) {
        return page(id, 200, notice, null);
    }

    /** {@code upstream_ids} (the new order; empty: inherit again) and/or the two fallback settings. */
    @POST
    public Response change(@PathParam("id") String id, @Context UriInfo uri, @Context HttpHeaders headers,
                           String body) {
        ApiParams params = request.form(uri, headers, body);
        try {
            ApiCaller caller = request.caller();
            GroupUpstreamsRequest change = binder.bindValid(params, GroupUpstreamsRequest.class);
            service.replace(caller, id, change.upstreamIds(), change.fallbackOnError(),
                    change.fallbackOnAuthError());
        } catch (ApiException e) {
            if (e.status() == 400 || e.status() == 422) {
                return page(id, e.status(), null, ErrorPages.reason(e));
            }
            throw e;
        }
        return AdminPaths.seeOther(AdminPaths.GROUPS + "/" + id + "/upstreams?notice=group_upstreams_saved").build();
    }

    private Response page(String id, int status, String notice, String error) {
        ApiCaller caller = request.caller();
        GroupRow group = GroupRow.of(permissions.require(caller, id, GroupMember.GUEST), config.externalUrl());
        GroupUpstreamService.Effective effective = service.view(caller, id);
        List<Long> ids = effective.upstreams().order().stream().map(choice -> choice.endpoint().id()).toList();
        List<GroupUpstreamRow> rows = new ArrayList<>();
        for (int position = 0; position < ids.size(); position++) {
            UpstreamEndpoint upstream = effective.upstreams().order().get(position).endpoint();
            long upstreamId = upstream.id();
            String identity = effective.entries().stream().filter(e -> e.getUpstreamId() == upstreamId)
                    .map(e -> e.getIdentity()).filter(value -> value != null).findFirst().orElse(null);
            rows.add(new GroupUpstreamRow(upstreamId, upstream.name(), upstream.baseUrl(), position + 1, identity,
                    upstream.openToAllGroups(), position > 0 ? joined(swapped(ids, position - 1)) : null,
                    position < ids.size() - 1 ? joined(swapped(ids, position)) : null,
                    joined(ids.stream().filter(other -> other != upstreamId).toList())));
        }
        // owners may add the upstreams open to all groups; administrators any (the service checks it again)
        List<UpstreamChoice> choices = (caller.admin() ? catalog.all() : catalog.openToAllGroups()).stream()
                .filter(upstream -> !ids.contains(upstream.id()))
                .map(upstream -> new UpstreamChoice(upstream.id(), upstream.name())).toList();
        Long source = effective.definedBy();
        boolean inherited = source == null || source != Long.parseLong(id);
        String sourceGroup = source == null || !inherited ? null : QuarkusTransaction.requiringNew().call(() ->
                groups.findByIdOptional(source).map(Group::getFullPath).orElse(null));
        return Response.status(status).entity(UpstreamTemplates.groupUpstreams(
                frames.of("Upstreams of " + group.fullPath(), notice), group, rows, inherited, sourceGroup,
                effective.upstreams().fallbackOnError(), effective.upstreams().fallbackOnAuthError(), joined(ids),
                choices, error)).build();
    }

    /** {@code ids} with the entries at {@code first} and {@code first + 1} exchanged. */
    private static List<Long> swapped(List<Long> ids, int first) {
        List<Long> order = new ArrayList<>(ids);
        Collections.swap(order, first, first + 1);
        return order;
    }

    private static String joined(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
