#!/usr/bin/env python3
"""Soak: a bounded fault storm against the echo server, plain and TLS (issue #14).

For ws:// and wss://, about 25 s each (a
20 s storm, LWS_SOAK_SECS), the echo server (`--timeout-secs 3`) gets:

  good clients   4 websockets clients echoing varied messages (0 B to 200 KiB, text and
                 binary), each checked byte for byte, for the whole storm;
  probes         a fresh connection + one echo every 0.5 s, its latency recorded;
  faulty clients, in rounds, three of each kind at once (one non-reader):
                 garbage bytes; a 64 KiB header block; slowloris (a header byte every
                 0.2 s); a frame cut off by a TCP RST; a client that sends 16 MiB and never
                 reads; a 1000-PING burst; a connect flood (100 connects, closed at once);
                 a frame header announcing 2^62 bytes.

After the last faulty client has left, within 15 s:
  - no good message lost or altered, no good connection dropped;
  - the probe's p99 latency during the storm under 1 s;
  - the server's descriptors back to their idle count;
  - its RSS within 2x its idle baseline (measured after a warm-up echo).
The server exits 0 on SIGTERM. Figures are printed.

  [LWS_SOAK_SECS=20] test_soak.py --server build/examples/echo-server
"""
import os
import random
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    OP_BINARY, OP_PING, EchoServer, arm_watchdog, check, echo_roundtrip, frame,
    log, main_guard, parse_args, read_until, run_tests, scaled, upgrade_request,
)

HERE = os.path.dirname(os.path.abspath(__file__))
STORM_SECS = float(os.environ.get("LWS_SOAK_SECS", "20"))


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return next(int(x.split()[1]) for x in f if x.startswith("VmRSS:"))


def fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


class Target:
    def __init__(self, port, ctx, ws_ctx=None):
        self.port, self.ctx, self.ws_ctx = port, ctx, ws_ctx
        # The websockets clients (good ones and probes) speak TLS 1.2. Its sync client
        # reads the socket in a background thread from before it writes the upgrade
        # request, and with TLS 1.3 that read handles the server's post-handshake
        # NewSessionTickets (rustls sends two, as OpenSSL and so lws do) on the same
        # OpenSSL object while the request is written: under the storm's load that
        # race sometimes loses the request (the server's counters showed exactly the
        # 597 handshake bytes received and the socket empty for 3 s; with tickets
        # off on the server the storm passed 8 of 8, with them 1 in 3 failed). TLS 1.2
        # tickets come inside the handshake. The raw faulty clients keep TLS 1.3.

    def tcp(self, timeout=5.0):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return s

    def stream(self, timeout=5.0):
        """TCP, wrapped in TLS for wss."""
        s = self.tcp(timeout)
        if self.ctx:
            s = self.ctx.wrap_socket(s, server_hostname="localhost")
        return s

    def upgraded(self, timeout=5.0):
        s = self.stream(timeout)
        req, _ = upgrade_request(self.port)
        s.sendall(req)
        head, rest = read_until(s, b"\r\n\r\n", time.monotonic() + scaled(timeout))
        check(b" 101 " in head.split(b"\r\n")[0], f"no 101: {head[:80]!r}")
        return s

    def ws(self, **kw):
        from websockets.sync.client import connect
        scheme = "wss" if self.ctx else "ws"
        opts = dict(subprotocols=["lws-echo"], open_timeout=scaled(10),
                    close_timeout=scaled(10), ping_interval=None, max_size=None, proxy=None)
        if self.ctx:
            opts["ssl"] = self.ws_ctx
            opts["server_hostname"] = "localhost"
        opts.update(kw)
        return connect(f"{scheme}://127.0.0.1:{self.port}/", **opts)


def quietly(fn):
    def run(*a):
        try:
            fn(*a)
        except (OSError, ssl.SSLError, ValueError):
            pass  # the server may drop a faulty client at any point: that is its right
    return run


@quietly
def f_garbage(t):
    s = t.tcp()
    s.sendall(os.urandom(4096))
    s.settimeout(scaled(5))
    while s.recv(65536):
        pass
    s.close()


@quietly
def f_big_headers(t):
    s = t.stream()
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 65536 + b"\r\n\r\n")
    s.settimeout(scaled(5))
    while s.recv(65536):
        pass
    s.close()


@quietly
def f_slowloris(t):
    s = t.stream()
    s.settimeout(0.2)
    for b in b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"z" * 40:
        s.send(bytes([b]))
        time.sleep(0.2)  # the server's header timeout (3 s) ends it
    s.close()


@quietly
def f_rst_mid_frame(t):
    s = t.upgraded()
    s.sendall(frame(OP_BINARY, os.urandom(3000))[:1500])
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


@quietly
def f_non_reader(t):
    s = t.upgraded()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
    s.settimeout(scaled(3))
    chunk = frame(OP_BINARY, os.urandom(1 << 16))
    sent = 0
    while sent < 16 << 20:
        s.sendall(chunk)  # times out once the server stops reading (it waits for us)
        sent += len(chunk)
    s.close()


@quietly
def f_ping_burst(t):
    s = t.upgraded()
    s.sendall(b"".join(frame(OP_PING, b"p%d" % i) for i in range(1000)))
    s.settimeout(scaled(5))
    got = 0
    while got < 1000 * 4:
        b = s.recv(65536)
        if not b:
            break
        got += len(b)
    s.close()


@quietly
def f_connect_flood(t):
    socks = []
    try:
        for _ in range(100):
            socks.append(t.tcp())
    finally:
        for s in socks:
            s.close()


@quietly
def f_huge_length(t):
    s = t.upgraded()
    s.sendall(bytes([0x82, 0xFF]) + struct.pack("!Q", 1 << 62) + b"\x01\x02\x03\x04")
    s.settimeout(scaled(5))
    while s.recv(65536):
        pass
    s.close()


FAULTS = [f_garbage, f_big_headers, f_slowloris, f_rst_mid_frame, f_non_reader,
          f_ping_burst, f_connect_flood, f_huge_length]


class Good(threading.Thread):
    def __init__(self, t, n):
        super().__init__(daemon=True)
        self.t, self.n, self.count, self.error, self.stop = t, n, 0, None, threading.Event()
        self.ws = t.ws()

    def run(self):
        rnd = random.Random(self.n)
        try:
            while not self.stop.is_set():
                size = rnd.choice([0, 1, 125, 126, 4096, 65535, 65536, 200_000])
                if rnd.random() < 0.5:
                    msg = "".join(rnd.choice("abcdé€") for _ in range(size // 2))
                else:
                    msg = rnd.randbytes(size)
                echo_roundtrip(self.ws, msg, timeout=20)
                self.count += 1
        except Exception as e:  # noqa: BLE001
            self.error = e

    def finish(self):
        self.stop.set()
        self.join(scaled(30))
        check(not self.is_alive(), f"good client {self.n} stuck")
        check(self.error is None, f"good client {self.n} failed after {self.count} "
              f"echoes: {type(self.error).__name__}: {self.error}")
        self.ws.close(1000)
        check(self.ws.close_code == 1000, f"good client {self.n}: close {self.ws.close_code}")
        return self.count


def storm(server, t, label):
    pid = server.proc.pid
    ws = t.ws()
    echo_roundtrip(ws, b"warm-up" * 1000)
    ws.close()
    time.sleep(0.5)
    base_rss, base_fds = rss_kib(pid), fds(pid)
    log(f"[{label}] idle: RSS {base_rss} KiB, {base_fds} descriptors")
    good = [Good(t, i) for i in range(4)]
    for g in good:
        g.start()
    lat, stop = [], threading.Event()

    def probe():
        while not stop.is_set():
            t0 = time.monotonic()
            try:
                w = t.ws(open_timeout=scaled(10))
                echo_roundtrip(w, b"probe")
                w.close()
                lat.append(time.monotonic() - t0)
            except Exception as e:  # noqa: BLE001
                lat.append(float("inf"))
                log(f"[{label}] probe failed: {e}")
            stop.wait(0.5)
    pt = threading.Thread(target=probe, daemon=True)
    pt.start()
    end = time.monotonic() + STORM_SECS
    peak = base_rss
    rounds = 0
    while time.monotonic() < end:
        # Three of each kind at once; one 16 MiB non-reader (its megabytes, decrypted in a
        # debug build, are what the probe would otherwise be measuring).
        threads = [threading.Thread(target=f, args=(t,), daemon=True)
                   for f in FAULTS for _ in range(1 if f is f_non_reader else 3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(scaled(30))
            peak = max(peak, rss_kib(pid))
        rounds += 1
    stop.set()
    pt.join(scaled(15))
    left = time.monotonic()
    counts = [g.finish() for g in good]
    lat.sort()
    p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else float("inf")
    deadline = left + 15
    while time.monotonic() < deadline and (fds(pid) > base_fds
                                           or rss_kib(pid) > 2 * base_rss):
        time.sleep(0.25)
    settled = time.monotonic() - left
    rss, nfds = rss_kib(pid), fds(pid)
    log(f"[{label}] {rounds} storm rounds of {len(FAULTS)} faulty kinds; good echoes "
        f"{counts} (all byte-exact); probes {len(lat)}, p50 {lat[len(lat) // 2]:.3f} s, "
        f"p99 {p99:.3f} s; RSS idle {base_rss} / peak {peak} / after {rss} KiB "
        f"({rss / base_rss:.2f}x, {settled:.1f} s after the storm); descriptors {base_fds} "
        f"-> {nfds}")
    check(all(c > 0 for c in counts), f"a good client made no progress: {counts}")
    check(p99 < 1.0, f"probe p99 {p99:.3f} s (limit 1 s)")
    check(nfds <= base_fds, f"{nfds} descriptors after the storm, {base_fds} at idle")
    check(rss <= 2 * base_rss, f"RSS {rss} KiB 15 s after the storm: more than 2x the idle "
          f"{base_rss} KiB")


def main():
    args = parse_args(__doc__)
    check(args.server, "--server is required")
    arm_watchdog(args.timeout)
    certs = tempfile.mkdtemp(prefix="lws-soak-")
    subprocess.run([os.path.join(HERE, "..", "tls", "make-certs.sh"), certs], check=True,
                   capture_output=True)

    def plain():
        server = EchoServer(args.server, ["--timeout-secs", "3"])
        try:
            storm(server, Target(server.port, None), "ws")
        finally:
            server.stop()

    def tls():
        server = EchoServer(args.server, ["--timeout-secs", "3", "-s", "--cert",
                                          os.path.join(certs, "server.pem"), "--key",
                                          os.path.join(certs, "server.key")])
        ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
        ws_ctx = ssl.create_default_context(cafile=os.path.join(certs, "ca.pem"))
        ws_ctx.maximum_version = ssl.TLSVersion.TLSv1_2
        try:
            storm(server, Target(server.port, ctx, ws_ctx), "wss")
        finally:
            server.stop()

    tests = [("storm_plain", plain), ("storm_tls", tls)]
    return run_tests(tests, args.only)


if __name__ == "__main__":
    main_guard(main)
