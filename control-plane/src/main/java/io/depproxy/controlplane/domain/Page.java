package io.depproxy.controlplane.domain;

import java.util.List;
import java.util.function.Function;

/** One page of a listing and the total number of items over all pages. */
public record Page<T>(List<T> items, long total, PageRequest request) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), total, request);
    }

    public int totalPages() {
        return (int) Math.max(1, (total + request.perPage() - 1) / request.perPage());
    }
}
