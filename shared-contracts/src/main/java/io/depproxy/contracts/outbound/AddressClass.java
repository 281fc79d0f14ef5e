package io.depproxy.contracts.outbound;

/** What an outbound call may do with an address, before the allow-list and the upstream's own origin are asked. */
public enum AddressClass {
    /** The internet: always allowed. */
    PUBLIC,
    /** Loopback, private and other internal ranges: allowed for the upstream's own origin or when allow-listed. */
    INTERNAL,
    /** Link-local, cloud metadata, unspecified, multicast, broadcast: never reached, whatever is configured. */
    FORBIDDEN
}
