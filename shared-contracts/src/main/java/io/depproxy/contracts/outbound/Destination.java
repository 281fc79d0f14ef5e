package io.depproxy.contracts.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/**
 * A URL that passed the destination policy, with the addresses its name resolved to when it was checked. Connect to
 * these (never resolve the name again), so what was checked is what is reached.
 */
public record Destination(URI uri, Origin origin, List<InetAddress> addresses) {

    public Destination {
        addresses = List.copyOf(addresses);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a destination needs an address");
        }
    }

    /** The address to connect to: the first the resolver answered. */
    public InetAddress address() {
        return addresses.get(0);
    }
}
