package io.depproxy.controlplane.web;

import io.depproxy.controlplane.api.dto.GroupView;
import io.depproxy.controlplane.domain.Group;
import io.depproxy.controlplane.domain.Page;
import io.quarkus.qute.TemplateData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** What the templates show; every text in them is escaped by Qute, only the server-built SVG chart is raw. */
final class PageModels {
    private PageModels() {
    }

    /** The page around the content: title, who is signed in, the session's CSRF token, a notice after a redirect. */
    @TemplateData
    record Frame(String title, String user, boolean admin, String csrfToken, String notice) {
        public boolean signedIn() {
            return user != null;
        }
    }

    @TemplateData
    record GroupRow(long id, String name, String fullPath, String imagePrefix) {
        /** The prefix is the API's ({@code dependency_proxy_image_prefix}), on the configured public URL. */
        static GroupRow of(Group group, String externalUrl) {
            return new GroupRow(group.getId(), group.getName(), group.getFullPath(),
                    GroupView.of(group, externalUrl).dependencyProxyImagePrefix());
        }

        public String url() {
            return AdminPaths.group(id);
        }

        /** The registry host clients log in to: the prefix up to its first slash. */
        public String registryHost() {
            return imagePrefix.substring(0, imagePrefix.indexOf('/'));
        }
    }

    /** One cached manifest or blob; {@code kind} says what it is (an image index, a manifest, a blob). */
    @TemplateData
    record CacheRow(String name, String kind, String digest, String size, String lastPull, String status) {
    }

    @TemplateData
    record Pager(int page, int totalPages, long total, String previous, String next) {
        /** Links to the neighbouring pages of {@code path}, keeping the search. */
        static Pager of(Page<?> page, String path, String search) {
            int current = page.request().page();
            int last = page.totalPages();
            String previous = current > 1 ? link(path, search, Math.min(current - 1, last)) : null;
            return new Pager(current, last, page.total(), previous, current < last ? link(path, search, current + 1) : null);
        }

        private static String link(String path, String search, int page) {
            String query = search.isEmpty() ? "" : "search=" + URLEncoder.encode(search, StandardCharsets.UTF_8) + "&";
            return path + "?" + query + "page=" + page;
        }
    }

    @TemplateData
    record TokenRow(long id, String name, String username, String scopes, String expires, boolean revoked) {
    }

    /** The numbers of the statistics panel, already formatted. */
    @TemplateData
    record Statistics(long manifests, long blobs, String storedBytes, long hits, long misses, String hitRatio,
                      String bytesFromCache, String bytesFromUpstream) {
    }

    /**
     * The settings page's current values; {@code anonymousPullEditable}: whether this user may change
     * {@code anonymous_pull} (instance administrators only; others see it read-only).
     */
    @TemplateData
    record SettingsForm(boolean enabled, boolean anonymousPull, boolean anonymousPullEditable,
                        int manifestRevalidateAfter, String identity, boolean secretSet, boolean ttlEnabled,
                        int ttlDays, int maxTtlDays, int maxRevalidateAfter) {
    }

    /** A deploy token just created: its secret is on this one page, never again. */
    @TemplateData
    record CreatedToken(String name, String username, String token) {
    }
}
