"""A rate-limited link to the upstream: a network namespace joined to this host by a veth pair on a private /30,
`tbf` at 1 Gbit/s on both ends (blobs flow namespace -> host, requests and pushes host -> namespace).

Every name carries a random tag, so two runs on one machine do not collide, and close() removes all of it; the
caller runs it in a `finally` (a failed check, Ctrl-C and SIGTERM all unwind through it). Needs root and iproute2:
where namespaces are not allowed, create() raises LinkUnavailable with the reason and the caller skips the section.
"""
import ipaddress
import os
import secrets
import shutil
import subprocess

from .common import log

RATE = "1gbit"
# tbf needs a bucket of at least one (GSO) packet and rate/HZ; 256 KiB holds both on any kernel timer at 1 Gbit/s
TBF = ["tbf", "rate", RATE, "burst", "256kb", "latency", "50ms"]


class LinkUnavailable(Exception):
    """Namespaces are not allowed here (not root, no iproute2, `ip netns add` refused)."""


def _ip(*argv, check=True):
    r = subprocess.run(["ip", *argv], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise LinkUnavailable(f"`ip {' '.join(argv)}` failed: {r.stderr.strip() or r.returncode}")
    return r


def _networks_in_use():
    """The IPv4 networks of this host's addresses and routes (a /30 overlapping one of them is not taken)."""
    nets = []
    for line in _ip("-o", "-4", "addr", "show").stdout.splitlines():
        parts = line.split()
        if "inet" in parts:
            nets.append(ipaddress.ip_interface(parts[parts.index("inet") + 1]).network)
    for line in _ip("-4", "route", "show").stdout.splitlines():
        first = line.split()[0] if line.split() else "default"
        if first != "default":
            nets.append(ipaddress.ip_network(first if "/" in first else first + "/32", strict=False))
    return nets


def _free_slash30():
    in_use = _networks_in_use()
    for _ in range(50):
        base = ipaddress.ip_address("10.0.0.0") + secrets.randbelow(1 << 22) * 4  # a /30 somewhere in 10/8
        net = ipaddress.ip_network(f"{base}/30")
        if not any(net.overlaps(n) for n in in_use):
            return net
    raise LinkUnavailable("no free /30 in 10.0.0.0/8 for the link")


class Link:
    """The namespace and its veth pair; host_address on this side, upstream_address inside the namespace."""

    def __init__(self):
        tag = secrets.token_hex(3)
        self.namespace = f"dpbench-{tag}"
        self.host_if = f"dpbh{tag}"  # interface names: at most 15 characters
        self.ns_if = f"dpbn{tag}"
        self.created = []  # what close() removes, in reverse order

    @classmethod
    def create(cls):
        if os.geteuid() != 0:
            raise LinkUnavailable("a network namespace needs root")
        missing = [t for t in ("ip", "tc") if shutil.which(t) is None]
        if missing:
            raise LinkUnavailable(f"{' and '.join(missing)} not found (Debian package iproute2)")
        link = cls()
        try:
            link._set_up()
        except BaseException:
            link.close()
            raise
        return link

    def _set_up(self):
        net = _free_slash30()
        host, inside = list(net.hosts())
        self.host_address, self.upstream_address = str(host), str(inside)
        _ip("netns", "add", self.namespace)
        self.created.append(("netns", "del", self.namespace))
        _ip("link", "add", self.host_if, "type", "veth", "peer", "name", self.ns_if)
        self.created.append(("link", "del", self.host_if))  # removes its peer too
        _ip("link", "set", self.ns_if, "netns", self.namespace)
        _ip("addr", "add", f"{host}/30", "dev", self.host_if)
        _ip("link", "set", self.host_if, "up")
        _ip("-n", self.namespace, "addr", "add", f"{inside}/30", "dev", self.ns_if)
        _ip("-n", self.namespace, "link", "set", self.ns_if, "up")
        _ip("-n", self.namespace, "link", "set", "lo", "up")
        self._tc([], self.host_if)
        self._tc(["ip", "netns", "exec", self.namespace], self.ns_if)
        log(f"   link: namespace {self.namespace}, {self.host_if} {host} <-> {self.ns_if} {inside} (/30), "
            f"tbf {RATE} both ways")

    def _tc(self, prefix, dev):
        r = subprocess.run([*prefix, "tc", "qdisc", "add", "dev", dev, "root", *TBF], capture_output=True, text=True)
        if r.returncode != 0:
            raise LinkUnavailable(f"tc qdisc add (tbf) on {dev} failed: {r.stderr.strip()}")

    def in_namespace(self, argv):
        """argv run inside the namespace (`ip netns exec` execs it: the process started is argv's own)."""
        return ["ip", "netns", "exec", self.namespace, *argv]

    def close(self):
        """Removes the veth pair and the namespace (processes inside must be stopped first); never raises."""
        while self.created:
            _ip(*self.created.pop(), check=False)
