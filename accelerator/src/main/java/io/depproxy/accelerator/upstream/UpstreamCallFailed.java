package io.depproxy.accelerator.upstream;

import io.depproxy.accelerator.logging.UrlMask;
import java.net.URI;

/**
 * An upstream hop that failed before it answered, named by its URL (query masked). The connection goes to the address
 * the destination policy checked, so the transport's own message names only that address; the log needs the host the
 * operator configured too. Clients never read this text ({@link UpstreamFailure#messageFor}).
 */
public final class UpstreamCallFailed extends RuntimeException {
    public UpstreamCallFailed(URI url, Throwable cause) {
        super("GET " + UrlMask.mask(url.toString()) + " failed: " + cause.getMessage(), cause);
    }
}
