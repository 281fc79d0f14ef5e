"""Loopback ports and the plain HTTP of set-up (pushes, the admin API); measured requests go through checks."""
import http.client
import re
import socket
import subprocess
import time
import urllib.parse

from .common import MiB, fail


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listener_pid(port):
    """The process listening on a loopback port (a service the local runner started)."""
    out = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
    m = re.search(r"pid=(\d+)", out)
    if not m:
        fail(f"no process listens on port {port}")
    return int(m.group(1))


def wait_port(port, timeout=120, process=None, host="127.0.0.1"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            fail(f"the process meant to listen on port {port} exited with {process.returncode}")
        with socket.socket() as s:
            s.settimeout(1)
            if s.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    fail(f"port {port} never opened")


def http_request(method, url, body=None, headers=None, timeout=120):
    """Set-up requests (pushes, admin API): (status, headers, body bytes). body may be bytes or a file."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout, blocksize=MiB)
    try:
        path = u.path + ("?" + u.query if u.query else "")
        conn.request(method, path, body=body, headers=headers or {})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data
    finally:
        conn.close()


def http_ok(method, url, body=None, headers=None, expect=(200, 201, 202)):
    status, hdrs, data = http_request(method, url, body, headers)
    if status not in expect:
        fail(f"{method} {url} answered {status}: {data[:300]!r}")
    return hdrs, data
