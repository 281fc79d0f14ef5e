package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.outbound.AllowList;
import io.depproxy.contracts.outbound.Destination;
import io.depproxy.contracts.outbound.OutboundPolicy;
import io.depproxy.contracts.outbound.OutboundRefused;
import io.depproxy.contracts.outbound.Origin;
import io.depproxy.contracts.outbound.OwnServices;
import io.depproxy.contracts.outbound.Resolver;
import io.depproxy.controlplane.config.ControlPlaneConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.quarkus.vertx.http.HttpServer;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.MDC;

/**
 * The shared destination policy as the control plane applies it: {@code DP_OUTBOUND_ALLOW} (read and validated at
 * start-up), and as its own services this control plane's HTTP port (on every local address) and the object store
 * ({@code DP_S3_ENDPOINT}). The policy is built on first use, once the HTTP server listens and its port is known.
 * Every refusal is logged here, once, with the request id and the refused host and address.
 */
@Singleton
@Startup
public class OutboundDestinations {
    private final AllowList allow;
    private final URI objectStore;
    private final Instance<HttpServer> server;
    private volatile OutboundPolicy policy;

    /** @throws IllegalArgumentException (stopping the start-up) when DP_OUTBOUND_ALLOW has a malformed entry */
    @Inject
    OutboundDestinations(ControlPlaneConfig config, Instance<HttpServer> server) {
        this.allow = AllowList.parse(config.outbound().allow().orElse(null));
        this.objectStore = URI.create(config.s3().endpoint());
        this.server = server;
    }

    /** A fixed policy (tests). */
    public OutboundDestinations(OutboundPolicy policy) {
        this.allow = AllowList.NONE;
        this.objectStore = null;
        this.server = null;
        this.policy = policy;
    }

    /**
     * {@code uri} checked for a call on behalf of the upstream at {@code upstream}: the addresses to connect to.
     *
     * @throws UpstreamDestinationRefused when the policy refuses it (logged)
     * @throws UpstreamException when the name does not resolve
     */
    public Destination check(URI uri, Origin upstream) {
        try {
            return policy().check(uri, upstream);
        } catch (OutboundRefused e) {
            throw refused(e);
        } catch (UnknownHostException e) {
            throw new UpstreamException(UpstreamHttp.redact(uri) + " failed: unknown host " + uri.getHost(), e);
        }
    }

    /**
     * Refuses an upstream URL an administrator is saving when it points at what nothing may reach (link-local or
     * metadata addresses, this deployment's own services).
     *
     * @throws OutboundRefused with the reason, for the administrator
     */
    public void checkConfigurable(String url) {
        policy().checkConfigurable(URI.create(url));
    }

    /** Logs {@code refusal} with the request id and answers the exception the upstream calls throw. */
    public UpstreamDestinationRefused refused(OutboundRefused refusal) {
        Object requestId = MDC.get("request_id");
        Log.warnf("%s (request_id=%s)", refusal.getMessage(), requestId == null ? "-" : requestId);
        return new UpstreamDestinationRefused(refusal);
    }

    private OutboundPolicy policy() {
        OutboundPolicy built = policy;
        if (built != null) {
            return built;
        }
        int listening = server.isResolvable() ? server.get().getPort() : -1;
        int port = listening > 0 ? listening
                : ConfigProvider.getConfig().getOptionalValue("quarkus.http.port", Integer.class).orElse(8081);
        built = new OutboundPolicy(allow, OwnServices.of(List.of(URI.create("http://127.0.0.1:" + port), objectStore),
                Resolver.SYSTEM), Resolver.SYSTEM);
        if (listening > 0) {
            policy = built; // before the server listens its port may not be known yet: build again next time
        }
        return built;
    }
}
