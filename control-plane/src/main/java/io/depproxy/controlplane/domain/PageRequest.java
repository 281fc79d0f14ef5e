package io.depproxy.controlplane.domain;

/**
 * GitLab's {@code page} (1-based; below 1 is 1) and {@code per_page} (default 20, clamped to 1..100). Any page is
 * accepted: one past the last row is empty. Offsets are capped where JPA's {@code int} first-result would overflow,
 * which is far past any listing's end.
 */
public record PageRequest(int page, int perPage) {
    public static final int DEFAULT_PER_PAGE = 20;
    public static final int MAX_PER_PAGE = 100;

    public PageRequest {
        page = Math.max(1, page);
        perPage = perPage < 1 ? DEFAULT_PER_PAGE : Math.min(perPage, MAX_PER_PAGE);
    }

    /** Panache's 0-based page index, capped so that index × size stays an {@code int}. */
    public io.quarkus.panache.common.Page panache() {
        return io.quarkus.panache.common.Page.of(offset() / perPage, perPage);
    }

    public int offset() {
        long offset = (page - 1L) * perPage;
        long lastSafe = (long) (Integer.MAX_VALUE - perPage) / perPage * perPage;
        return (int) Math.min(offset, lastSafe);
    }
}
