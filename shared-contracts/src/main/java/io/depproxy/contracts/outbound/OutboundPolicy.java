package io.depproxy.contracts.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The one destination policy of every outbound call both services make on an upstream's behalf: the upstream URLs
 * (configured ones and the connection test included), every redirect hop and every token realm. The name is
 * resolved and every address it has is judged:
 * <ul>
 * <li>link-local, cloud metadata, unspecified, multicast and broadcast addresses are refused, whatever is
 * configured ({@link AddressRanges});</li>
 * <li>so are the services' own endpoints ({@link OwnServices}): the control plane, the object store;</li>
 * <li>loopback and private addresses are refused unless the destination's host and port are those of the upstream
 * the call is for, or {@code DP_OUTBOUND_ALLOW} names them ({@link AllowList});</li>
 * <li>public addresses are allowed.</li>
 * </ul>
 * A name with one refused address is refused. The caller connects to the addresses returned in the
 * {@link Destination}, never to the name, so a second DNS answer cannot swap in another address.
 */
public final class OutboundPolicy {
    private final AllowList allow;
    private final OwnServices own;
    private final Resolver resolver;

    public OutboundPolicy(AllowList allow, OwnServices own, Resolver resolver) {
        this.allow = allow;
        this.own = own;
        this.resolver = resolver;
    }

    /**
     * Resolves {@code uri}'s host and judges its addresses. Blocking (DNS): call it off event loops.
     *
     * @param upstream the origin of the upstream the call is for (its internal address is allowed), or null
     * @throws OutboundRefused when the policy refuses the destination
     * @throws UnknownHostException when the name does not resolve
     */
    public Destination check(URI uri, Origin upstream) throws UnknownHostException {
        Origin origin = originOf(uri);
        return check(uri, origin, upstream, resolver.resolve(origin.host()));
    }

    /** As {@link #check(URI, Origin)}, for addresses already resolved (no DNS). */
    public Destination check(URI uri, Origin upstream, List<InetAddress> addresses) {
        return check(uri, originOf(uri), upstream, addresses);
    }

    /**
     * For an upstream URL an administrator configures: refuses what no configuration can open (link-local, metadata,
     * the services' own), so a wrong URL is refused when it is saved; internal addresses are accepted (the upstream's
     * own origin may be internal). A name that does not resolve now is accepted: every call checks again.
     */
    public void checkConfigurable(URI uri) {
        Origin origin = originOf(uri);
        try {
            check(uri, origin, origin, resolver.resolve(origin.host()));
        } catch (UnknownHostException e) {
            // judged when it is called
        }
    }

    private Destination check(URI uri, Origin origin, Origin upstream, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            throw new OutboundRefused(origin.host(), null, "the name has no address");
        }
        boolean upstreamItself = origin.sameHostAndPort(upstream);
        for (InetAddress address : addresses) {
            AddressRanges.Verdict verdict = AddressRanges.classify(address);
            String ip = address.getHostAddress();
            if (verdict.addressClass() == AddressClass.FORBIDDEN) {
                throw new OutboundRefused(origin.host(), ip, verdict.reason() + ", never reached");
            }
            String service = own.match(origin, address);
            if (service != null) {
                throw new OutboundRefused(origin.host(), ip, "the address of this deployment's own service "
                        + service + ", never reached");
            }
            if (verdict.addressClass() == AddressClass.INTERNAL && !upstreamItself && !allow.allows(origin, address)) {
                throw new OutboundRefused(origin.host(), ip, verdict.reason() + " on port " + origin.port()
                        + ": not the upstream's own origin and not in " + AllowList.SETTING);
            }
        }
        return new Destination(uri, origin, addresses);
    }

    private static Origin originOf(URI uri) {
        try {
            return Origin.of(uri);
        } catch (IllegalArgumentException e) {
            throw new OutboundRefused(String.valueOf(uri.getHost()), null, "not an absolute http(s) URL");
        }
    }
}
