package io.depproxy.contracts.outbound;

/**
 * An outbound call the destination policy (or the credentials rule) refused. {@link #getMessage()} names the host,
 * the address and the reason: for the log line, never for a client. Clients get {@link #CLIENT_MESSAGE}.
 */
public class OutboundRefused extends RuntimeException {
    /** What a registry client reads: no host, no address. */
    public static final String CLIENT_MESSAGE = "an outbound destination was refused by policy";

    private final String host;
    private final String address;
    private final String reason;

    public OutboundRefused(String host, String address, String reason) {
        super("outbound destination refused: " + host + (address == null ? "" : " (" + address + ")") + ": " + reason);
        this.host = host;
        this.address = address;
        this.reason = reason;
    }

    public String host() {
        return host;
    }

    /** The resolved address that was refused, or null when the refusal did not depend on one. */
    public String address() {
        return address;
    }

    public String reason() {
        return reason;
    }
}
