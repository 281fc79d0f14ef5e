package io.depproxy.contracts.outbound;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The services' own endpoints (the control plane's HTTP port, the object store, the accelerator's port), which no
 * upstream call may reach. Matched by name and port, and by address and port: a service listening on a local
 * address (loopback, the wildcard, or an address of this host's interfaces) is reached through any local address on
 * its port. A public, non-local address of a service (a cloud object store such as {@code s3.amazonaws.com}) is
 * shared with other tenants, registries' CDNs among them, so there only the name is refused; its buckets need
 * signatures our calls never carry to another origin.
 */
public final class OwnServices {
    public static final OwnServices NONE = new OwnServices(List.of(), Set.of());

    /** One service as configured: name, port, and the addresses the name had at start-up. */
    private record Service(String name, int port, List<InetAddress> addresses, boolean local) {
    }

    private final List<Service> services;
    private final Set<InetAddress> localAddresses;

    private OwnServices(List<Service> services, Set<InetAddress> localAddresses) {
        this.services = List.copyOf(services);
        this.localAddresses = Set.copyOf(localAddresses);
    }

    /** The services at {@code urls} (absolute http(s) URLs; null entries are skipped), resolved once, now. */
    public static OwnServices of(List<URI> urls, Resolver resolver) {
        return of(urls, resolver, interfaceAddresses());
    }

    static OwnServices of(List<URI> urls, Resolver resolver, Set<InetAddress> localAddresses) {
        List<Service> services = new ArrayList<>();
        for (URI url : urls) {
            if (url == null) {
                continue;
            }
            Origin origin = Origin.of(url);
            List<InetAddress> addresses = resolveQuietly(resolver, origin.host());
            boolean local = addresses.stream().anyMatch(a -> isLocal(a, localAddresses));
            services.add(new Service(origin.host(), origin.port(), addresses, local));
        }
        return new OwnServices(services, localAddresses);
    }

    /** The service {@code origin} (resolved to {@code address}) would reach, described for the log, or null. */
    public String match(Origin origin, InetAddress address) {
        for (Service service : services) {
            if (service.port() != origin.port()) {
                continue;
            }
            boolean sameName = service.name().equals(origin.host().toLowerCase(Locale.ROOT));
            boolean sameAddress = service.local() && isLocal(address, localAddresses)
                    || service.addresses().contains(address)
                    && AddressRanges.classify(address).addressClass() != AddressClass.PUBLIC;
            if (sameName || sameAddress) {
                return service.name() + ":" + service.port();
            }
        }
        return null;
    }

    private static boolean isLocal(InetAddress address, Set<InetAddress> localAddresses) {
        return address.isLoopbackAddress() || address.isAnyLocalAddress() || localAddresses.contains(address);
    }

    private static List<InetAddress> resolveQuietly(Resolver resolver, String host) {
        try {
            return resolver.resolve(host);
        } catch (UnknownHostException e) {
            return List.of(); // not resolvable now: still refused by name
        }
    }

    /** Every address of this host's network interfaces, read once. */
    static Set<InetAddress> interfaceAddresses() {
        Set<InetAddress> addresses = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                addresses.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException e) {
            // no interfaces to list: loopback and the wildcard are still recognised
        }
        return addresses;
    }
}
