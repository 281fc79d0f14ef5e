package io.depproxy.controlplane.upstream;

import io.depproxy.contracts.outbound.Destination;
import io.depproxy.contracts.outbound.Origin;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.Dns;
import okhttp3.OkHttpClient;

/**
 * How the control plane connects to the address the destination policy checked. The JDK's HTTP client (Java 17) has
 * no resolver hook, so a check could only trust the JVM's address cache to give its own lookup the same answer (not
 * true once an entry expires between the two). OkHttp asks a {@link Dns} for the addresses of every new connection;
 * here each origin gets a client whose Dns answers only the addresses last checked for that origin and never asks
 * DNS, so a connection is only ever made to a checked address, while Host, SNI and the certificate check keep the
 * URL's name. Whether the origin was the upstream's own (where an internal address is allowed) is part of the key, so
 * addresses checked under that trust never serve a call that lacked it. The clients share one connection pool, which
 * keys connections by client (through the Dns), so pooled connections follow the same rule.
 */
final class PinnedClients {
    private static final int MAX_CLIENTS = 512;

    private final OkHttpClient base;
    private final Map<Key, Pinned> clients = new ConcurrentHashMap<>();

    private record Key(Origin origin, boolean upstreamItself) {
    }

    /** One origin's client and the answer its Dns gives. */
    private record Pinned(OkHttpClient client, CheckedAnswer dns) {
    }

    /** The addresses last checked for one origin: what its connections may use. */
    private static final class CheckedAnswer implements Dns {
        private volatile List<InetAddress> addresses = List.of();

        @Override
        public List<InetAddress> lookup(String hostname) throws UnknownHostException {
            List<InetAddress> checked = addresses;
            if (checked.isEmpty()) {
                throw new UnknownHostException(hostname + " was not checked by the outbound policy");
            }
            return checked;
        }
    }

    PinnedClients(OkHttpClient base) {
        this.base = base;
    }

    /** The client that connects to {@code destination}'s checked addresses. */
    OkHttpClient clientFor(Destination destination, Origin upstream) {
        boolean upstreamItself = destination.origin().sameHostAndPort(upstream);
        if (clients.size() >= MAX_CLIENTS) {
            clients.clear(); // redirect targets are chosen by upstreams: keep the map bounded
        }
        Pinned pinned = clients.computeIfAbsent(new Key(destination.origin(), upstreamItself), key -> {
            CheckedAnswer dns = new CheckedAnswer();
            return new Pinned(base.newBuilder().dns(dns).build(), dns);
        });
        pinned.dns().addresses = destination.addresses();
        return pinned.client();
    }
}
