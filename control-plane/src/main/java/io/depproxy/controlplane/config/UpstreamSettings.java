package io.depproxy.controlplane.config;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/** The upstream registry: its base URL, instance-wide credentials and image-name mapping. */
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
        URI uri = URI.create(url.trim());
        if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new IllegalArgumentException("DP_UPSTREAM_URL must be an absolute http(s) URL, was " + url);
        }
        this.baseUrl = stripTrailingSlashes(uri.toString());
        this.singleNamePrefix = prefix.map(String::trim).map(UpstreamSettings::stripSlashes)
                .orElse(DOCKER_HUB_HOSTS.contains(uri.getHost().toLowerCase()) ? "library" : "");
        this.username = username.filter(s -> !s.isBlank());
        this.password = password.filter(s -> !s.isBlank());
    }

    /** {@code https://registry-1.docker.io}, without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public String singleNamePrefix() {
        return singleNamePrefix;
    }

    /** {@code alpine} → {@code library/alpine} when a prefix is set; names with a slash stay as they are. */
    public String upstreamName(String image) {
        return image.contains("/") || singleNamePrefix.isEmpty() ? image : singleNamePrefix + "/" + image;
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
