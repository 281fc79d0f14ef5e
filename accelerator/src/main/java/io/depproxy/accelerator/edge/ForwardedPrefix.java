package io.depproxy.accelerator.edge;

import java.util.List;

/**
 * A public path the control plane answers. {@link #ALL} is the one list of them: {@link EdgeRules} reads it to tell
 * a request's {@link Surface}, the router to register the forwarding routes.
 */
public record ForwardedPrefix(String path, Scope scope, Surface surface) {

    /** Which raw paths a prefix covers. */
    public enum Scope {
        /** The path itself only. */
        EXACT,
        /** The path itself and every path below {@code path + "/"}. */
        SELF_AND_BELOW,
        /** Only the paths below {@code path + "/"}. */
        BELOW
    }

    public static final List<ForwardedPrefix> ALL = List.of(
            new ForwardedPrefix("/v2", Scope.SELF_AND_BELOW, Surface.REGISTRY),
            new ForwardedPrefix("/jwt/auth", Scope.EXACT, Surface.TOKEN),
            new ForwardedPrefix("/api/v4", Scope.BELOW, Surface.API),
            new ForwardedPrefix("/admin", Scope.SELF_AND_BELOW, Surface.ADMIN_PAGE));

    public boolean covers(String rawPath) {
        boolean below = rawPath.length() > path.length() && rawPath.startsWith(path)
                && rawPath.charAt(path.length()) == '/';
        return switch (scope) {
            case EXACT -> rawPath.equals(path);
            case SELF_AND_BELOW -> below || rawPath.equals(path);
            case BELOW -> below;
        };
    }

    /**
     * The Vert.x Web route path. A wildcard route also takes the bare prefix ({@code /api/v4}); that is harmless,
     * as {@link EdgeRules} runs first and refuses what {@link #covers} does not.
     */
    public String routePath() {
        return scope == Scope.EXACT ? path : path + "/*";
    }

    /** The surface of the prefix that covers {@code rawPath}, or {@link Surface#NONE}. */
    static Surface surfaceOf(String rawPath) {
        for (ForwardedPrefix prefix : ALL) {
            if (prefix.covers(rawPath)) {
                return prefix.surface;
            }
        }
        return Surface.NONE;
    }
}
