#!/usr/bin/env python3
"""Interop: HTTP peers that would hold a descriptor forever (issue #14), on raw sockets.

The servers run with short limits (`--timeout-secs 2`, http-ws-server also
`--keepalive-secs 1`, lws's `info.timeout_secs` / `info.keepalive_timeout`):

  echo-server (its only protocol ignores LWS_CALLBACK_HTTP):
    GET / answered by nobody                  -> closed ~2 s later (lws: timeout_secs)
    POST whose body never comes               -> closed ~2 s after the last byte
    a body trickling in (a byte every 0.5 s)  -> kept while bytes come, closed ~2 s after
    Connection: Upgrade + Sec-WebSocket-Key
      but no Upgrade header                   -> HTTP 400 at once
  http-ws-server:
    keep-alive after a reply, then silence    -> closed after keepalive_timeout (1 s)
    a file the peer never reads               -> closed ~2 s after the socket stopped
                                                 taking bytes
  and a websockets client keeps echoing on the echo server throughout; both servers exit 0
  on SIGTERM.

  test_http_timeouts.py --server build/examples/echo-server
                        [--http-server build/examples/http-ws-server]
"""
import os
import socket
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    BackgroundEchoer, EchoServer, check, connect_raw, log, main_guard, parse_args,
    parse_http_response, read_to_eof, read_until, run_tests, scaled,
)

LIMIT = 2  # --timeout-secs
KEEPALIVE = 1  # --keepalive-secs


def closed_within(s, seconds):
    """Seconds until the server closed `s` (reading and discarding), or None."""
    t0 = time.monotonic()
    deadline = t0 + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return None
        s.settimeout(left)
        try:
            b = s.recv(65536)
        except socket.timeout:
            return None
        except ConnectionResetError:
            return time.monotonic() - t0
        if not b:
            return time.monotonic() - t0


def main():
    args = parse_args(__doc__)
    check(args.server, "--server is required")
    http_path = args.http_server or os.path.join(os.path.dirname(args.server),
                                                  "http-ws-server")
    check(os.access(http_path, os.X_OK), f"no http-ws-server at {http_path}")
    from interop_common import arm_watchdog
    arm_watchdog(args.timeout)
    server = EchoServer(args.server, ["--timeout-secs", str(LIMIT)])
    port = server.port
    bystander = BackgroundEchoer(port)
    bystander.wait_for(5)

    root = tempfile.mkdtemp(prefix="lws-timeouts-")
    with open(os.path.join(root, "big.txt"), "wb") as f:
        f.write(os.urandom(1 << 20) * 32)  # 32 MiB: far more than socket buffers hold
    http = EchoServer(http_path, ["--timeout-secs", str(LIMIT), "--keepalive-secs",
                                  str(KEEPALIVE), "-r", root],
                      banner=rb"http-ws-server on port (\d+)")

    def expect_close(s, what, after=LIMIT, since=None):
        took = closed_within(s, scaled(after + 3))
        s.close()
        if took is not None and since is not None:
            took = time.monotonic() - since
        check(took is not None, f"{what}: still open {after + 3} s later (limit {after} s)")
        check(took >= after - 0.5, f"{what}: closed after {took:.2f} s, before the {after} s limit")
        log(f"{what}: closed after {took:.2f} s")

    def t_unanswered_get():
        s = connect_raw(port)
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
        expect_close(s, "unanswered GET")

    def t_body_never_comes():
        s = connect_raw(port)
        s.sendall(f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 1000\r\n"
                  f"\r\n0123456789".encode())
        expect_close(s, "POST body awaited")

    def t_trickle_keeps_it_open():
        s = connect_raw(port)
        s.sendall(f"POST / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 1000\r\n"
                  f"\r\n".encode())
        end = time.monotonic() + 2 * LIMIT + 1
        while time.monotonic() < end:
            time.sleep(0.5)
            s.sendall(b"x")
        last = time.monotonic()
        # Still open: the limit counts from the last traffic, not from the request.
        s.setblocking(False)
        try:
            got = s.recv(1)
            check(False, f"closed while bytes kept coming (recv {got!r})")
        except BlockingIOError:
            pass
        s.setblocking(True)
        expect_close(s, "trickled body, then silence", since=last)

    def t_key_without_upgrade_400():
        s = connect_raw(port)
        s.sendall(f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: Upgrade\r\n"
                  f"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                  f"Sec-WebSocket-Version: 13\r\n\r\n".encode())
        t0 = time.monotonic()
        data = read_to_eof(s, timeout=LIMIT / 2)
        s.close()
        check(data, f"no response within {LIMIT / 2} s (expected HTTP 400 at once)")
        status, _, _ = parse_http_response(data)
        check(status == 400, f"expected 400, got {status}: {data[:200]!r}")
        log(f"400 after {time.monotonic() - t0:.2f} s")

    def t_keepalive_idle():
        s = connect_raw(http.port)
        s.sendall(f"GET /dyn/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
        data, _ = read_until(s, b"\r\n\r\n", time.monotonic() + scaled(5))
        status, _, _ = parse_http_response(data)
        check(status == 200, f"/dyn answered {status}: {data[:200]!r}")
        expect_close(s, "keep-alive idle", after=KEEPALIVE)

    def t_unread_file():
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(5)
        s.connect(("127.0.0.1", http.port))
        s.sendall(b"GET /big.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        data, _ = read_until(s, b"\r\n\r\n", time.monotonic() + scaled(5))
        status, _, _ = parse_http_response(data)
        check(status == 200, f"/big.txt answered {status}")
        # Never read: the server's sends stall once the socket buffers are full.
        time.sleep(LIMIT + 2)
        took = closed_within(s, scaled(10))  # drains what was buffered, then EOF / RST
        s.close()
        check(took is not None, "a file the peer never reads kept the connection open")
        log(f"unread file: closed (the rest drained in {took:.2f} s)")

    tests = [
        ("unanswered_get_closed_after_timeout_secs", t_unanswered_get),
        ("post_body_never_comes_closed", t_body_never_comes),
        ("trickled_body_kept_then_closed", t_trickle_keeps_it_open),
        ("key_without_upgrade_400_at_once", t_key_without_upgrade_400),
        ("keepalive_idle_closed_after_keepalive_timeout", t_keepalive_idle),
        ("unread_file_closed_after_timeout_secs", t_unread_file),
    ]
    rc = run_tests(tests, args.only)
    try:
        bystander.finish()
        bystander.assert_ok()
        server.stop()
        http.stop()
    except Exception as e:  # noqa: BLE001
        log(f"FAIL at the end: {e}")
        rc = 1
    return rc


if __name__ == "__main__":
    main_guard(main)
