package io.depproxy.accelerator.config;

import io.depproxy.contracts.peer.FetchLeases;

/**
 * Cluster-wide single flight: the internal listener other replicas stream a running download from
 * ({@code DP_PEER_PORT}, 0: off) and the URL they reach it at ({@code DP_PEER_ADVERTISE_URL}, required when the port
 * is set: {@code http://<pod IP>:<port>}). Off, the accelerator behaves as before: every replica fetches its own misses.
 */
public record PeerSettings(int port, String advertiseUrl) {
    public static final PeerSettings OFF = new PeerSettings(0, null);

    public PeerSettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(ConfigLoader.PEER_PORT + " must be 0..65535, was " + port);
        }
        if (port > 0 && !FetchLeases.isPeerUrl(advertiseUrl)) {
            throw new IllegalArgumentException(ConfigLoader.PEER_ADVERTISE_URL + " must be http(s)://host:port (what "
                    + "other replicas reach this one's " + ConfigLoader.PEER_PORT + " at) when the port is set, was "
                    + advertiseUrl);
        }
        advertiseUrl = port == 0 ? null : advertiseUrl;
    }

    public boolean enabled() {
        return port > 0;
    }
}
