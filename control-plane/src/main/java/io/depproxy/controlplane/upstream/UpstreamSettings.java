package io.depproxy.controlplane.upstream;

import io.depproxy.controlplane.config.ControlPlaneConfig;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** The default upstream registry as the environment configures it (DP_UPSTREAM_*), before it is stored. */
@Singleton
public class UpstreamSettings {
    private static final Set<String> DOCKER_HUB_HOSTS = Set.of("registry-1.docker.io", "docker.io", "index.docker.io");

    private final String baseUrl;
    private final String singleNamePrefix;
    private final Optional<String> username;
    private final Optional<String> password;

    @Inject
    public UpstreamSettings(ControlPlaneConfig config) {
        this(config.upstream().url(), config.upstream().singleNamePrefix(),
                config.upstream().username(), config.upstream().password());
    }

    public UpstreamSettings(String url, Optional<String> prefix, Optional<String> username, Optional<String> password) {
        this.baseUrl = baseUrlOf(url).orElseThrow(() ->
                new IllegalArgumentException("DP_UPSTREAM_URL must be an absolute http(s) URL, was " + url));
        this.singleNamePrefix = singleNamePrefix(baseUrl, prefix);
        this.username = username.filter(s -> !s.isBlank());
        this.password = password.filter(s -> !s.isBlank());
    }

    /**
     * An upstream's base URL without trailing slashes, or empty when {@code url} is not an absolute http(s) URL
     * with a host (and without query, fragment or user info).
     */
    public static Optional<String> baseUrlOf(String url) {
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(url.trim());
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            if (!http || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null
                    || uri.getRawUserInfo() != null) {
                return Optional.empty();
            }
            return Optional.of(stripTrailingSlashes(uri.toString()));
        } catch (java.net.URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** The prefix given (without slashes), else {@code library} for Docker Hub and none elsewhere. */
    public static String singleNamePrefix(String baseUrl, Optional<String> prefix) {
        String host = URI.create(baseUrl).getHost().toLowerCase();
        return prefix.map(String::trim).map(UpstreamSettings::stripSlashes)
                .orElse(DOCKER_HUB_HOSTS.contains(host) ? "library" : "");
    }

    /** {@code https://registry-1.docker.io}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public String singleNamePrefix() {
        return singleNamePrefix;
    }

    public Optional<String> username() {
        return username;
    }

    public Optional<String> password() {
        return password;
    }

    public boolean hasCredentials() {
        return username.isPresent();
    }

    private static String stripTrailingSlashes(String s) {
        String result = s;
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    private static String stripSlashes(String s) {
        String result = stripTrailingSlashes(s);
        while (result.startsWith("/")) {
            result = result.substring(1);
        }
        return result;
    }
}
