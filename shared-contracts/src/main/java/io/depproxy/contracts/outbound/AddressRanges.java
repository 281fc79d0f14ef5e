package io.depproxy.contracts.outbound;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * The tables that sort an address into {@link AddressClass}: the blocks that are never reached (link-local, the
 * cloud metadata services, unspecified, multicast, broadcast) and the internal ones (loopback, RFC 1918, carrier-grade
 * NAT, unique local, documentation and reserved blocks). An IPv6 address that carries an IPv4 one (IPv4-mapped,
 * IPv4-compatible, well-known NAT64, 6to4) is judged by the IPv4 address it leads to, so {@code 64:ff9b::a9fe:a9fe} is the
 * metadata service as much as {@code 169.254.169.254} is.
 */
public final class AddressRanges {
    /** A block and why it is what it is, for the log line of a refusal. */
    public record Range(Cidr block, String reason) {
    }

    /** The answer for one address: its class and, unless public, the reason. */
    public record Verdict(AddressClass addressClass, String reason) {
    }

    /** Cloud instance metadata and platform endpoints outside link-local space (and the best known inside it). */
    static final List<Range> METADATA = List.of(
            range("169.254.169.254/32", "cloud metadata service"),
            range("169.254.170.2/32", "container credentials service (ECS)"),
            range("fd00:ec2::254/128", "cloud metadata service (AWS IPv6)"),
            range("fd00:ec2::23/128", "cloud metadata service (AWS IPv6)"),
            range("100.100.100.200/32", "cloud metadata service (Alibaba)"),
            range("192.0.0.192/32", "cloud metadata service (Oracle)"),
            range("168.63.129.16/32", "cloud platform endpoint (Azure WireServer)"));

    static final List<Range> FORBIDDEN = List.of(
            range("0.0.0.0/8", "unspecified address"),
            range("169.254.0.0/16", "link-local address"),
            range("224.0.0.0/4", "multicast address"),
            range("255.255.255.255/32", "broadcast address"),
            range("::/128", "unspecified address"),
            range("fe80::/10", "link-local address"),
            range("ff00::/8", "multicast address"));

    static final List<Range> INTERNAL = List.of(
            range("127.0.0.0/8", "loopback address"),
            range("10.0.0.0/8", "private address"),
            range("172.16.0.0/12", "private address"),
            range("192.168.0.0/16", "private address"),
            range("100.64.0.0/10", "carrier-grade NAT address"),
            range("192.0.0.0/24", "IETF protocol address"),
            range("192.0.2.0/24", "documentation address"),
            range("198.18.0.0/15", "benchmarking address"),
            range("198.51.100.0/24", "documentation address"),
            range("203.0.113.0/24", "documentation address"),
            range("240.0.0.0/4", "reserved address"),
            range("::1/128", "loopback address"),
            range("fc00::/7", "unique local address"),
            range("fec0::/10", "site-local address"),
            range("100::/64", "discard address"),
            range("64:ff9b:1::/48", "local-use NAT64 address"),
            range("2001:db8::/32", "documentation address"));

    private static final Cidr IPV4_COMPATIBLE = Cidr.parse("::/96");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private AddressRanges() {
    }

    public static Verdict classify(InetAddress address) {
        InetAddress judged = embeddedIpv4(address);
        for (List<Range> table : List.of(METADATA, FORBIDDEN)) {
            for (Range range : table) {
                if (range.block().contains(judged)) {
                    return new Verdict(AddressClass.FORBIDDEN, range.reason());
                }
            }
        }
        for (Range range : INTERNAL) {
            if (range.block().contains(judged)) {
                return new Verdict(AddressClass.INTERNAL, range.reason());
            }
        }
        return new Verdict(AddressClass.PUBLIC, null);
    }

    /** The IPv4 address an IPv6 one stands for (mapped addresses arrive as IPv4 already), else the address. */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] bytes = address.getAddress();
        int offset;
        if (NAT64.contains(bytes) || IPV4_COMPATIBLE.contains(bytes) && !isZeroOrOne(bytes)) {
            offset = 12;
        } else if (SIX_TO_FOUR.contains(bytes)) {
            offset = 2;
        } else {
            return address;
        }
        try {
            return InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ::} and {@code ::1} are in {@code ::/96} but are IPv6's own unspecified and loopback addresses. */
    private static boolean isZeroOrOne(byte[] bytes) {
        for (int i = 0; i < 15; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[15] == 0 || bytes[15] == 1;
    }

    private static Range range(String block, String reason) {
        return new Range(Cidr.parse(block), reason);
    }
}
