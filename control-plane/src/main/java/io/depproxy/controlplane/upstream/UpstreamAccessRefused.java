package io.depproxy.controlplane.upstream;

/**
 * The upstream (or its token service) answered 401 or 403 to our credentials: the repository does not exist there
 * or needs credentials we do not have. Never the client's login problem, so never answered as our challenge.
 */
public class UpstreamAccessRefused extends UpstreamException {
    public UpstreamAccessRefused(String message) {
        super(message);
    }

    public static boolean isRefusal(int status) {
        return status == 401 || status == 403;
    }
}
