package io.depproxy.controlplane.web;

import java.util.Locale;

/**
 * The session cookie: {@code HttpOnly} (no script reads it), {@code SameSite=Strict} (no other site's page sends
 * it), {@code Path=/admin} (the API and registry routes never see it) and {@code Secure} whenever the page is served
 * over https.
 */
final class AdminCookies {
    static final String SESSION = "dp_admin_session";
    /** The sign-in form's own CSRF token (there is no session yet to bind it to): a double-submit cookie. */
    static final String SIGN_IN = "dp_admin_sign_in";

    private AdminCookies() {
    }

    static String session(String value, boolean secure) {
        return cookie(SESSION, value, "", secure);
    }

    static String expired(boolean secure) {
        return cookie(SESSION, "", "; Max-Age=0", secure);
    }

    static String signIn(String value, boolean secure) {
        return cookie(SIGN_IN, value, "", secure);
    }

    static String signInExpired(boolean secure) {
        return cookie(SIGN_IN, "", "; Max-Age=0", secure);
    }

    private static String cookie(String name, String value, String lifetime, boolean secure) {
        return name + "=" + value + "; Path=" + AdminPaths.ROOT + lifetime + "; HttpOnly; SameSite=Strict"
                + (secure ? "; Secure" : "");
    }

    /**
     * Whether the browser reached us over https: the public URL says so, or the proxy in front (the accelerator, an
     * ingress) reports it in {@code X-Forwarded-Proto}, or the request itself came over TLS.
     */
    static boolean secure(String externalUrl, String forwardedProto, String scheme) {
        String firstHop = forwardedProto == null ? "" : forwardedProto.split(",")[0].trim();
        return externalUrl.toLowerCase(Locale.ROOT).startsWith("https:") || firstHop.equalsIgnoreCase("https")
                || "https".equalsIgnoreCase(scheme);
    }
}
