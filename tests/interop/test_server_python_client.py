#!/usr/bin/env python3
"""Interop 1: our echo server (examples/echo-server.c on lws-rs), the Python `websockets`
client as peer.

  test_server_python_client.py --server build/examples/echo-server

Message sizes across every length encoding (0, 125, 126, 65535, 65536, 16 MiB; binary and
text) compared byte for byte; 10,000 small messages in order; fragmented messages
reassembled after the echo; automatic PONG; close 1000 "bye" echoed. The server must then
exit 0 on SIGTERM.
"""
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    EchoServer, arm_watchdog, check, echo_roundtrip, log, main_guard, parse_args, run_tests,
    scaled, ws_connect,
)

SIZES = [0, 125, 126, 65535, 65536, 16 * 1024 * 1024]


def text_of_bytes(n, seed):
    """A str whose UTF-8 encoding is exactly n bytes, mixing 1- to 4-byte characters; every
    block carries its index so a reordered or repeated chunk cannot go unnoticed."""
    chars = "aZ\u00e9\u0416\u20ac\u6f22\U0001f600~"
    blocks, size, i = [], 0, 0
    while True:
        b = f"<{seed}:{i:07d}>" + chars[i % 8:] + chars[:i % 8]
        bl = len(b.encode())
        if size + bl > n:
            break
        blocks.append(b)
        size += bl
        i += 1
    s = "".join(blocks) + "x" * (n - size)
    assert len(s.encode()) == n
    return s


def main():
    args = parse_args(__doc__)
    check(args.server, "--server is required")
    arm_watchdog(args.timeout)
    server = EchoServer(args.server)
    port = server.port

    def t_handshake():
        with ws_connect(port) as ws:  # offers permessage-deflate by default
            check(ws.subprotocol == "lws-echo", f"subprotocol {ws.subprotocol!r}")
            ext = ws.response.headers.get_all("Sec-WebSocket-Extensions")
            check(not ext, f"server negotiated an extension it does not implement: {ext}")
            echo_roundtrip(ws, "hello")
            echo_roundtrip(ws, b"\x00\x01\xff")

    def t_sizes_binary():
        with ws_connect(port) as ws:
            for n in SIZES:
                msg = os.urandom(n)
                t0 = time.monotonic()
                echo_roundtrip(ws, msg, timeout=60)
                log(f"  binary {n} bytes echoed intact ({time.monotonic() - t0:.2f} s)")

    def t_sizes_text():
        with ws_connect(port) as ws:
            for n in SIZES:
                msg = text_of_bytes(n, n % 5)
                t0 = time.monotonic()
                echo_roundtrip(ws, msg, timeout=60)
                log(f"  text {n} bytes echoed intact ({time.monotonic() - t0:.2f} s)")

    def t_many_small_in_order():
        count = 10000
        msgs = [(f"m{i}:" + "x" * (i % 40)) if i % 2 else i.to_bytes(4, "big") * (1 + i % 9)
                for i in range(count)]
        with ws_connect(port, max_queue=None) as ws:
            err = []

            def sender():
                try:
                    for m in msgs:
                        ws.send(m)
                except Exception as e:  # noqa: BLE001
                    err.append(e)

            th = threading.Thread(target=sender, daemon=True)
            th.start()
            for i in range(count):
                got = ws.recv(timeout=scaled(20))
                check(got == msgs[i],
                      f"message {i}: expected {msgs[i][:20]!r}..., got {got[:20]!r}...")
            th.join(scaled(10))
            check(not err, f"sender failed: {err}")
            log(f"  {count} messages echoed in order")

    def t_fragmented():
        with ws_connect(port) as ws:
            # Text split into three frames, with a multi-byte character across a boundary.
            euro = "\u20ac".encode()
            frags = [b"frag-one/" + euro[:2], euro[2:] + b"/frag-two/", b"frag-three"]
            ws.send(frags, text=True)
            got = ws.recv(timeout=scaled(10))
            check(got == b"".join(frags).decode(), f"text fragments reassembled as {got!r}")
            # Binary, with an empty first and last fragment and larger middle ones.
            parts = [b"", os.urandom(70000), b"B" * 5, os.urandom(200000), b""]
            ws.send(parts)
            got = ws.recv(timeout=scaled(20))
            check(got == b"".join(parts), f"binary fragments: got {len(got)} bytes, "
                  f"expected {sum(map(len, parts))}")
            # Message boundaries kept: a fragmented message then a single-frame one.
            ws.send([b"a", b"b", b"c"])
            ws.send(b"next")
            check(ws.recv(timeout=scaled(10)) == b"abc", "fragmented message boundary lost")
            check(ws.recv(timeout=scaled(10)) == b"next", "message after fragmented one lost")
            # Streaming view: the echo is one message (first/last flags kept).
            ws.send(["s1", "s2", "s3"])
            pieces = list(ws.recv_streaming())
            check("".join(pieces) == "s1s2s3", f"streamed pieces {pieces!r}")

    def t_ping_pong():
        with ws_connect(port) as ws:
            for payload in (b"abc", b"", bytes(range(125))):
                ev = ws.ping(payload)
                check(ev.wait(scaled(5)), f"no PONG for PING {payload[:10]!r} (len {len(payload)})")
            # Ping while echoes are in flight: data still comes back intact and in order.
            ws.send(b"before")
            ev = ws.ping(b"mid")
            ws.send(b"after")
            check(ev.wait(scaled(5)), "no PONG for PING between messages")
            check(ws.recv(timeout=scaled(5)) == b"before", "message before ping")
            check(ws.recv(timeout=scaled(5)) == b"after", "message after ping")

    def t_close_bye():
        ws = ws_connect(port)
        echo_roundtrip(ws, "last words")
        t0 = time.monotonic()
        ws.close(1000, "bye")
        check(ws.wait_closed(scaled(5)), "TCP connection not closed after the closing handshake")
        check(ws.protocol.close_rcvd is not None, "no close frame received from the server")
        check(ws.close_code == 1000, f"server's close code {ws.close_code}, expected 1000")
        check(ws.close_reason == "bye",
              f"server's close reason {ws.close_reason!r}, expected 'bye'")
        log(f"  closing handshake took {time.monotonic() - t0:.3f} s")

    tests = [
        ("handshake", t_handshake),
        ("sizes_binary", t_sizes_binary),
        ("sizes_text", t_sizes_text),
        ("many_small_in_order", t_many_small_in_order),
        ("fragmented", t_fragmented),
        ("ping_pong", t_ping_pong),
        ("close_1000_bye", t_close_bye),
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
