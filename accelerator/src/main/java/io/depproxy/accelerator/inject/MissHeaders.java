package io.depproxy.accelerator.inject;

import io.depproxy.contracts.MediaTypes;
import io.depproxy.contracts.senddata.HeaderMap;
import io.depproxy.contracts.senddata.SendDependency;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;

/**
 * The head a client gets for a miss: the upstream's {@code Content-Length}, {@code Docker-Content-Digest} and
 * {@code ETag}, the control plane's {@code ResponseHeaders}, and a {@code Content-Type} from the registry's list
 * ({@link MediaTypes}), never the upstream's own choice (an upstream's {@code text/html} would be rendered by a
 * browser on this origin):
 * <ul>
 * <li>a manifest (the control plane decided a manifest type): the upstream's type when it is a known manifest or
 * index type; otherwise the type the manifest's own {@code mediaType} names, when it is a known one (the head then
 * waits for the verified body); otherwise the control plane's;</li>
 * <li>anything else the control plane decided a type for (a blob: {@code application/octet-stream}): that type;</li>
 * <li>no decision (a control plane older than this rule): the upstream's type when it is a known manifest type,
 * {@code application/octet-stream} otherwise.</li>
 * </ul>
 *
 * @param headers      what the client gets (with the type known without the body)
 * @param typeFromBody whether the manifest's body may name a better type than {@code headers} has
 */
record MissHeaders(MultiMap headers, boolean typeFromBody) {

    static MissHeaders of(MultiMap upstream, SendDependency dependency) {
        String announced = upstream.get(HttpHeaders.CONTENT_TYPE);
        String decided = decided(dependency);
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(upstream);
        boolean manifest = MediaTypes.isManifestType(decided);
        String type = manifest || decided == null
                ? MediaTypes.manifestTypeOr(announced, decided == null ? MediaTypes.OCTET_STREAM : decided)
                : decided;
        headers.set(HttpHeaders.CONTENT_TYPE, type);
        return new MissHeaders(headers, manifest && !MediaTypes.isManifestType(announced));
    }

    /** The head once the verified manifest is at hand: its own {@code mediaType} when that is a known type. */
    MultiMap typedBy(byte[] manifest) {
        MultiMap typed = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        MediaTypes.declaredBy(manifest).ifPresent(type -> typed.set(HttpHeaders.CONTENT_TYPE, type));
        return typed;
    }

    /** The control plane's {@code ResponseHeaders} a client gets on top of {@link #headers()}: all but the type. */
    static HeaderMap overrides(SendDependency dependency) {
        return dependency.responseHeaders().without(HttpHeaders.CONTENT_TYPE.toString());
    }

    /** Whether the control plane decided a manifest type for this download (so its body is a manifest). */
    static boolean decidesManifest(SendDependency dependency) {
        return MediaTypes.isManifestType(decided(dependency));
    }

    private static String decided(SendDependency dependency) {
        String decided = dependency.responseHeaders().first(HttpHeaders.CONTENT_TYPE.toString());
        return decided == null || decided.isBlank() ? null : MediaTypes.stripParameters(decided);
    }
}
