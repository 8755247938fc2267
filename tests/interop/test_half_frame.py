#!/usr/bin/env python3
"""Interop 4: peers that vanish mid-frame. Clients send part of a frame (or of the
handshake) and then disappear (orderly FIN, or RST via SO_LINGER 0) while another
websockets client keeps echoing. The server must drop only the vanished connections, keep
serving the other one, accept new clients afterwards, and exit 0 on SIGTERM.

  test_half_frame.py --server build/examples/echo-server
"""
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    OP_BINARY, OP_TEXT, BackgroundEchoer, EchoServer, FrameReader, arm_watchdog, check,
    connect_raw, echo_roundtrip, frame, handshake, log, main_guard, parse_args, run_tests,
    scaled, upgrade_request, ws_connect,
)


def vanish(s, rst):
    if rst:
        # SO_LINGER with a zero timeout: close() sends RST instead of FIN.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    args = parse_args(__doc__)
    check(args.server, "--server is required")
    arm_watchdog(args.timeout)
    server = EchoServer(args.server)
    port = server.port
    bystander = BackgroundEchoer(port)
    bystander.wait_for(5)
    baseline_fds = open_fds(server.proc.pid)

    def half_frame(rst, cut):
        def t():
            s, rest = handshake(port)
            fr = FrameReader(s, rest)
            # One whole message first, proving the connection really was live.
            s.sendall(frame(OP_TEXT, b"whole"))
            f = fr.next(timeout=5)
            check(f is not None and f[3] == b"whole", f"echo before vanishing: {f!r}")
            payload = os.urandom(100000)
            data = frame(OP_BINARY, payload)
            s.sendall(data[:cut])
            vanish(s, rst)
            bystander.wait_for(10)
            check(server.alive(), "server died after a client vanished mid-frame")
        return t

    def half_handshake(rst):
        def t():
            s = connect_raw(port)
            req, _ = upgrade_request(port)
            s.sendall(req[:len(req) // 2])
            vanish(s, rst)
            bystander.wait_for(10)
            check(server.alive(), "server died after a client vanished mid-handshake")
        return t

    def many_vanishing():
        # A burst of connections each cut at a different point, all at once.
        socks = []
        for i in range(20):
            s, _ = handshake(port)
            d = frame(OP_BINARY if i % 2 else OP_TEXT, b"z" * (300 + i * 1000),
                      fin=bool(i % 3))
            s.sendall(d[:1 + (i * 37) % (len(d) - 1)])
            socks.append(s)
        for i, s in enumerate(socks):
            vanish(s, rst=bool(i % 2))
        bystander.wait_for(10)
        check(server.alive(), "server died after a burst of vanishing clients")

    def vanish_while_server_writes():
        # Ask for a large echo and disappear before reading it: the server's pending
        # write fails (EPIPE/ECONNRESET) and must only end that connection.
        s, _ = handshake(port)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        big = os.urandom(4 * 1024 * 1024)
        # The server stops reading while its echo waits on our full receive buffer
        # (backpressure), so the whole frame may never be taken: send what it takes
        # in 2 s, then vanish mid-frame with the echo still pending.
        s.settimeout(2)
        try:
            s.sendall(frame(OP_BINARY, big))
        except socket.timeout:
            pass
        vanish(s, rst=True)
        bystander.wait_for(5)
        check(server.alive(), "server died when a peer vanished during its write")

    def survives_and_accepts():
        for i in range(3):
            with ws_connect(port) as ws:
                echo_roundtrip(ws, f"after the vanishing clients {i}")
                echo_roundtrip(ws, os.urandom(65536))
        # Every vanished connection must have been released: the server's descriptor count
        # comes back to what it was with only the bystander connected (polled, bounded).
        deadline = time.monotonic() + scaled(10)
        while open_fds(server.proc.pid) > baseline_fds and time.monotonic() < deadline:
            time.sleep(0.02)
        n = open_fds(server.proc.pid)
        check(n <= baseline_fds, f"server holds {n} descriptors, {baseline_fds} before the "
              f"vanishing clients: connections leaked")
        bystander.finish()

    tests = [
        ("half_header_fin", half_frame(rst=False, cut=3)),
        ("half_payload_fin", half_frame(rst=False, cut=50000)),
        ("half_mask_key_rst", half_frame(rst=True, cut=6)),
        ("half_payload_rst", half_frame(rst=True, cut=70000)),
        ("half_handshake_fin", half_handshake(rst=False)),
        ("half_handshake_rst", half_handshake(rst=True)),
        ("burst_of_vanishing_clients", many_vanishing),
        ("vanish_while_server_writes", vanish_while_server_writes),
        ("server_survives_and_accepts", survives_and_accepts),
    ]
    rc = run_tests(tests, args.only)
    try:
        server.stop()
    except Exception as e:  # noqa: BLE001
        log(f"FAIL server_exit: {e}")
        rc = 1
    return rc


if __name__ == "__main__":
    main_guard(main)
