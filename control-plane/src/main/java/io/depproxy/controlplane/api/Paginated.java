package io.depproxy.controlplane.api;

import io.depproxy.controlplane.domain.Page;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * A page as GitLab answers it: the items as a JSON array, with {@code X-Total}, {@code X-Total-Pages},
 * {@code X-Page}, {@code X-Per-Page}, {@code X-Next-Page}, {@code X-Prev-Page} and a {@code Link} header whose URLs
 * are on the public base URL.
 */
final class Paginated {
    private Paginated() {
    }

    static <T> Response response(Page<T> page, UriInfo uri, String externalUrl) {
        int current = page.request().page();
        int last = page.totalPages();
        String next = current < last ? Integer.toString(current + 1) : "";
        String prev = current > 1 ? Integer.toString(Math.min(current - 1, last)) : "";
        List<String> links = new ArrayList<>();
        if (!prev.isEmpty()) {
            links.add(link(uri, externalUrl, Integer.parseInt(prev), page, "prev"));
        }
        if (!next.isEmpty()) {
            links.add(link(uri, externalUrl, current + 1, page, "next"));
        }
        links.add(link(uri, externalUrl, 1, page, "first"));
        links.add(link(uri, externalUrl, last, page, "last"));
        return Response.ok(page.items())
                .header("X-Total", page.total())
                .header("X-Total-Pages", last)
                .header("X-Page", current)
                .header("X-Per-Page", page.request().perPage())
                .header("X-Next-Page", next)
                .header("X-Prev-Page", prev)
                .header("Link", String.join(", ", links))
                .build();
    }

    private static String link(UriInfo uri, String externalUrl, int target, Page<?> page, String rel) {
        URI base = URI.create(externalUrl.replaceAll("/+$", ""));
        URI url = UriBuilder.fromUri(uri.getRequestUri())
                .scheme(base.getScheme()).host(base.getHost()).port(base.getPort())
                .replaceQueryParam("page", target)
                .replaceQueryParam("per_page", page.request().perPage())
                .build();
        return "<" + url + ">; rel=\"" + rel + "\"";
    }
}
