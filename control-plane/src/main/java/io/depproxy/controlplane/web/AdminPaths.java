package io.depproxy.controlplane.web;

import jakarta.ws.rs.core.Response;

/** Where the admin page lives: under {@code /admin}, the prefix the accelerator forwards to the control plane. */
public final class AdminPaths {
    public static final String ROOT = "/admin";
    static final String SIGN_IN = ROOT + "/sign_in";
    static final String GROUPS = ROOT + "/groups";
    static final String UPSTREAMS = ROOT + "/upstreams";

    private AdminPaths() {
    }

    public static boolean isAdminPage(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    static String group(long id) {
        return GROUPS + "/" + id;
    }

    /**
     * 303 to a page of the admin page. The Location stays relative: the browser resolves it against the public address
     * it used, whatever proxy is in front.
     */
    static Response.ResponseBuilder seeOther(String location) {
        return Response.status(Response.Status.SEE_OTHER).header("Location", location);
    }
}
