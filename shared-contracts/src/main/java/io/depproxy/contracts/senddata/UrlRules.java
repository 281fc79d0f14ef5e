package io.depproxy.contracts.senddata;

import java.net.URI;
import java.net.URISyntaxException;

final class UrlRules {
    private UrlRules() {
    }

    static String requireAbsoluteHttp(String field, String url) {
        if (url == null || url.isBlank()) {
            throw new MalformedInjectionException(field + " is required");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() == null || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                throw new MalformedInjectionException(field + " must be an absolute http(s) URL");
            }
        } catch (URISyntaxException e) {
            throw new MalformedInjectionException(field + " is not a URL", e);
        }
        return url;
    }

    /** An absolute path only (a request-URI on the control plane, never another host). */
    static String requirePath(String field, String path) {
        if (path == null || !path.startsWith("/") || path.startsWith("//")) {
            throw new MalformedInjectionException(field + " must be an absolute path");
        }
        try {
            URI uri = new URI(path);
            if (uri.getScheme() != null || uri.getRawAuthority() != null) {
                throw new MalformedInjectionException(field + " must be an absolute path");
            }
            return path;
        } catch (URISyntaxException e) {
            throw new MalformedInjectionException(field + " is not a request URI", e);
        }
    }

    /** An absolute http(s) URL or an absolute path (a request-URI on the control plane). */
    static String requireUrlOrPath(String field, String url) {
        if (url != null && url.startsWith("/") && !url.startsWith("//")) {
            try {
                new URI(url);
                return url;
            } catch (URISyntaxException e) {
                throw new MalformedInjectionException(field + " is not a request URI", e);
            }
        }
        return requireAbsoluteHttp(field, url);
    }
}
