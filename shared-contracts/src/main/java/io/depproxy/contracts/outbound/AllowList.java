package io.depproxy.contracts.outbound;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code DP_OUTBOUND_ALLOW}: the internal destinations (loopback, private ranges) an operator lets upstream calls,
 * their redirects and token realms reach. Comma-separated entries, each a host name ({@code registry.internal}, any
 * port), a host and port ({@code registry.internal:5000}, {@code 10.1.2.3:5000}, {@code [fd00::1]:5000}), or an
 * address block ({@code 10.0.0.0/8}, {@code fd00::/8}, any port). A name matches the URL's host as written; an
 * address or block matches the address the name resolved to. Nothing here opens link-local or metadata addresses, or
 * the services' own: those are refused whatever the list says.
 */
public final class AllowList {
    public static final String SETTING = "DP_OUTBOUND_ALLOW";
    public static final AllowList NONE = new AllowList(List.of());

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*\\.?");
    private static final Pattern HOST_PORT = Pattern.compile("(\\[[^\\]]+\\]|[^:\\[\\]]+):(\\d{1,5})");

    /** One entry: a name or a block of addresses, on one port or any ({@code -1}). */
    private record Entry(String host, Cidr block, int port) {
        boolean matches(Origin origin, InetAddress address) {
            if (port != -1 && port != origin.port()) {
                return false;
            }
            return host != null ? host.equals(origin.host()) : block.contains(address);
        }
    }

    private final List<Entry> entries;

    private AllowList(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** @throws IllegalArgumentException naming the entry that is not a host, host:port or address block */
    public static AllowList parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        List<Entry> entries = new ArrayList<>();
        for (String raw : setting.split(",")) {
            String text = raw.trim();
            if (!text.isEmpty()) {
                entries.add(entry(text));
            }
        }
        return new AllowList(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether the list names {@code origin}'s host (and port) or holds {@code address}. */
    public boolean allows(Origin origin, InetAddress address) {
        return entries.stream().anyMatch(entry -> entry.matches(origin, address));
    }

    private static Entry entry(String text) {
        if (text.contains("/")) {
            return new Entry(null, block(text), -1);
        }
        Matcher hostPort = HOST_PORT.matcher(text);
        if (hostPort.matches()) {
            return hostOrAddress(text, hostPort.group(1), port(text, hostPort.group(2)));
        }
        return hostOrAddress(text, text, -1);
    }

    private static Entry hostOrAddress(String text, String host, int port) {
        byte[] literal = Cidr.literal(host);
        if (literal != null) {
            return new Entry(null, new Cidr(literal, literal.length * 8), port);
        }
        if (!HOST.matcher(host).matches()) {
            throw invalid(text);
        }
        return new Entry(host.toLowerCase(Locale.ROOT), null, port);
    }

    private static Cidr block(String text) {
        try {
            return Cidr.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(text);
        }
    }

    private static int port(String text, String digits) {
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw invalid(text);
        }
        return port;
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException(SETTING + ": '" + text + "' is not a host, host:port or address block"
                + " (e.g. registry.internal, registry.internal:5000, 10.0.0.0/8)");
    }

    @Override
    public String toString() {
        return entries.stream().map(e -> (e.host() != null ? e.host() : e.block().toString())
                + (e.port() == -1 ? "" : ":" + e.port())).toList().toString();
    }
}
