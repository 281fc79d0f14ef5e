package io.depproxy.accelerator.upstream;

import io.depproxy.accelerator.config.AcceleratorConfig;
import io.depproxy.contracts.outbound.Destination;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared {@link OutboundPolicy} on Vert.x: the name is resolved on a worker thread (DNS blocks), and the request
 * is then pinned to the address that was checked. {@link RequestOptions#setServer} makes Vert.x 5 connect to that
 * address (a resolved socket address: no second lookup) while the Host header, TLS SNI and certificate check still
 * use the URL's host, and its connection pool keys on both, so a pooled connection is only ever to a checked address.
 */
public final class OutboundGuard {
    private final Vertx vertx;
    private final OutboundPolicy policy;

    public OutboundGuard(Vertx vertx, OutboundPolicy policy) {
        this.vertx = vertx;
        this.policy = policy;
    }

    /**
     * The policy of this accelerator: never the control plane, the object store, or this accelerator's own port.
     * Blocking (resolves those names once): call at start-up.
     */
    public static OutboundPolicy policy(AcceleratorConfig config) {
        List<URI> own = new ArrayList<>();
        own.add(config.controlPlaneUrl());
        own.add(config.outbound().objectStoreEndpoint());
        if (config.httpPort() > 0) {
            own.add(URI.create("http://127.0.0.1:" + config.httpPort()));
        }
        return new OutboundPolicy(config.outbound().allow(), OwnServices.of(own, Resolver.SYSTEM), Resolver.SYSTEM);
    }

    /**
     * Checks {@code url} for a call on behalf of the upstream at {@code upstream} (null: no upstream's internal
     * origin is trusted). Fails with {@link io.depproxy.contracts.outbound.OutboundRefused} or an
     * {@link UnknownHostException}.
     */
    public Future<Destination> check(URI url, Origin upstream) {
        InetAddress literal = ipLiteral(url.getHost());
        if (literal == null) {
            return vertx.executeBlocking(() -> policy.check(url, upstream), false);
        }
        // an address needs no lookup: checked here, without the hop to a worker thread that every miss paid
        try {
            return Future.succeededFuture(policy.check(url, upstream, List.of(literal)));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** The address an IP-literal host ({@code [..]} for IPv6) stands for, or null for a name. */
    static InetAddress ipLiteral(String host) {
        if (host == null) {
            return null;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** {@code options} (with its absolute URI set) connecting to the checked address of {@code destination}. */
    public static RequestOptions pinned(RequestOptions options, Destination destination) {
        try {
            // an address without a name: Vert.x takes it as resolved and never looks the name up
            InetAddress address = InetAddress.getByAddress(destination.address().getAddress());
            return options.setServer(SocketAddress.inetSocketAddress(
                    new InetSocketAddress(address, destination.origin().port())));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
