package io.depproxy.accelerator.edge;

import io.depproxy.contracts.error.RegistryErrorCode;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The one place that decides what the public port does with a request, on its raw path (before any decoding, so
 * that no server behind us can read it differently): the accelerator's own routes match exactly; only the public
 * prefixes of {@link ForwardedPrefix#ALL} ({@code /v2}, {@code /jwt/auth}, {@code /api/v4/} and the admin page's
 * {@code /admin}) are forwarded, and only paths without empty, {@code .} or {@code ..} segments, backslashes or
 * control characters; registry and token paths carry no percent escape at all, API paths only well-formed ones that
 * still decode to plain segments (GitLab's {@code :id} is a
 * URL-encoded full path, {@code acme%2Fplatform}); the internal upload routes are never reachable; registry
 * routes are pull-only; the admin page, like the token route, takes GET and POST only, on plain paths.
 */
public final class EdgeRules {
    public static final String LIVE = "/-/health/live";
    public static final String READY = "/-/health/ready";
    public static final String METRICS = "/-/metrics";
    public static final Set<String> OWN_ROUTES = Set.of(LIVE, READY, METRICS);
    static final String REGISTRY_ALLOW = "GET, HEAD";
    static final String TOKEN_ALLOW = "GET, POST";
    private static final String REGISTRY_ROOT_SLASH = "/v2/";
    private static final Set<String> PULL_KINDS = Set.of("manifests", "blobs");

    private EdgeRules() {
    }

    public static EdgeDecision decide(HttpMethod method, String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return notFound(Surface.NONE);
        }
        if (OWN_ROUTES.contains(rawPath)) {
            return new EdgeDecision.Own(rawPath);
        }
        Surface surface = ForwardedPrefix.surfaceOf(rawPath);
        if (surface == Surface.NONE) {
            return notFound(surface);
        }
        if (surface == Surface.REGISTRY && isInternalUploadRoute(rawPath)) {
            return notFound(surface);
        }
        // a push (POST …/blobs/uploads/) is told the method is unsupported, whatever its path looks like
        Optional<EdgeDecision.Refuse> refusal = checkMethod(surface, method)
                .or(() -> surface == Surface.API ? checkApiPath(rawPath) : checkPlainPath(surface, rawPath));
        return refusal.<EdgeDecision>map(refused -> refused)
                .orElseGet(() -> new EdgeDecision.Forward(surface, rawPath));
    }

    /** Registry and token paths: no escapes at all, no empty or dot segments ({@code /v2/} itself excepted). */
    private static Optional<EdgeDecision.Refuse> checkPlainPath(Surface surface, String rawPath) {
        if (PathSegments.hasUnsafeCharacter(rawPath) || rawPath.indexOf('%') >= 0) {
            return Optional.of(invalidName(surface, "the path carries an escape or a character names never hold"));
        }
        if (rawPath.equals(REGISTRY_ROOT_SLASH)) {
            return Optional.empty();
        }
        boolean dotOrEmpty = PathSegments.of(rawPath).stream().anyMatch(PathSegments::isDotOrEmpty);
        return dotOrEmpty ? Optional.of(invalidName(surface, "the path has an empty, '.' or '..' segment"))
                : Optional.empty();
    }

    /** API paths: escapes must be well formed, and no segment, raw or decoded, may be empty, '.' or '..'. */
    private static Optional<EdgeDecision.Refuse> checkApiPath(String rawPath) {
        if (PathSegments.hasUnsafeCharacter(rawPath)) {
            return Optional.of(badApiPath("the path carries a character no API path holds"));
        }
        for (String segment : PathSegments.of(rawPath)) {
            Optional<String> decoded = PathSegments.decode(segment);
            if (decoded.isEmpty()) {
                return Optional.of(badApiPath("the path has a malformed percent escape"));
            }
            // an encoded full path (acme%2Fplatform) may hold slashes; each of its parts must be plain too
            String text = decoded.get();
            if (PathSegments.hasUnsafeCharacter(text)
                    || List.of(text.split("/", -1)).stream().anyMatch(PathSegments::isDotOrEmpty)) {
                return Optional.of(badApiPath("the path has an empty, '.' or '..' segment"));
            }
        }
        return Optional.empty();
    }

    /**
     * {@code …/upload/authorize} and {@code …/upload} are the accelerator's own calls to the control plane. A pull
     * of a tag named {@code upload} ({@code …/manifests/upload}) is not one of them.
     */
    private static boolean isInternalUploadRoute(String rawPath) {
        List<String> segments = PathSegments.of(rawPath);
        int last = segments.size() - 1;
        boolean authorize = last >= 1 && segments.get(last).equals("authorize") && segments.get(last - 1).equals("upload");
        boolean upload = segments.get(last).equals("upload") && (last < 1 || !PULL_KINDS.contains(segments.get(last - 1)));
        return authorize || upload;
    }

    private static Optional<EdgeDecision.Refuse> checkMethod(Surface surface, HttpMethod method) {
        boolean allowed = switch (surface) {
            case REGISTRY -> method == HttpMethod.GET || method == HttpMethod.HEAD;
            case TOKEN, ADMIN_PAGE -> method == HttpMethod.GET || method == HttpMethod.POST;
            default -> true;
        };
        if (allowed) {
            return Optional.empty();
        }
        String allow = surface == Surface.REGISTRY ? REGISTRY_ALLOW : TOKEN_ALLOW;
        return Optional.of(new EdgeDecision.Refuse(surface, 405, RegistryErrorCode.UNSUPPORTED,
                "the operation is unsupported: " + surface.name().toLowerCase() + " routes allow " + allow, allow));
    }

    private static EdgeDecision.Refuse notFound(Surface surface) {
        return EdgeDecision.Refuse.of(surface, 404, RegistryErrorCode.NAME_UNKNOWN, "not found");
    }

    private static EdgeDecision.Refuse invalidName(Surface surface, String message) {
        return EdgeDecision.Refuse.of(surface, 400, RegistryErrorCode.NAME_INVALID, message);
    }

    private static EdgeDecision.Refuse badApiPath(String message) {
        return EdgeDecision.Refuse.of(Surface.API, 400, RegistryErrorCode.NAME_INVALID, message);
    }
}
