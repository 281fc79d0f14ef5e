package io.depproxy.controlplane.domain;

/** GitLab's {@code page} (1-based) and {@code per_page} (default 20, at most 100). */
public record PageRequest(int page, int perPage) {
    public static final int DEFAULT_PER_PAGE = 20;
    public static final int MAX_PER_PAGE = 100;

    public PageRequest {
        page = Math.max(1, page);
        perPage = perPage < 1 ? DEFAULT_PER_PAGE : Math.min(perPage, MAX_PER_PAGE);
    }

    /** Panache's 0-based page index. */
    public io.quarkus.panache.common.Page panache() {
        return io.quarkus.panache.common.Page.of(page - 1, perPage);
    }

    public int offset() {
        return (page - 1) * perPage;
    }
}
