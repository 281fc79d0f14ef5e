package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.outbound.OutboundRefused;

/**
 * An upstream call, one of its redirects or its token realm was refused by the outbound destination policy or the
 * credentials rule. The message names host and address, for logs and administrators; registry clients get
 * {@link OutboundRefused#CLIENT_MESSAGE} only.
 */
public class UpstreamDestinationRefused extends UpstreamException {
    public UpstreamDestinationRefused(OutboundRefused cause) {
        super(cause.getMessage(), cause);
    }
}
