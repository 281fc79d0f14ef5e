package io.depproxy.accelerator.inject;

/** Nobody reads a download any more and it is not worth finishing (see {@link DependencyFetch}). */
final class FetchAbandoned extends RuntimeException {
    FetchAbandoned(String message) {
        super(message, null, false, false);
    }
}
