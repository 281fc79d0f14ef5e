package io.depproxy.contracts.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name to addresses. Blocking: call it off event loops. Tests replace it to play a hostile DNS. */
@FunctionalInterface
public interface Resolver {
    /** The JVM's resolver (system DNS and hosts file, through the JVM's address cache). */
    Resolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** Every address of {@code host} (an IP literal, in brackets for IPv6, answers itself without a lookup). */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
