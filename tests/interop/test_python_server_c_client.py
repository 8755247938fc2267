#!/usr/bin/env python3
"""Interop 2: our echo client (examples/echo-client.c on lws-rs) against an echo server
written with the Python `websockets` library.

  test_python_server_c_client.py --client build/examples/echo-client

Runs the client with -n 1000 -s 3000 and with -n 20 -s 1048576; each run must exit 0 (the
client checks every echoed byte). The Python side also checks what it received: the right
number of binary messages of the right size, masked as a client must (websockets enforces
masking and RFC framing itself and would fail the connection otherwise), and a close 1000.
"""
import os
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    HOST, TestFailure, arm_watchdog, check, launcher, log, main_guard, parse_args, run_tests,
    scaled, spawn,
)


class PyEchoServer:
    def __init__(self):
        from websockets.sync.server import serve

        self.sessions = []
        self.lock = threading.Lock()
        self.server = serve(self.handler, HOST, 0, subprotocols=["lws-echo"],
                            max_size=None, ping_interval=None, compression=None)
        self.port = self.server.socket.getsockname()[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        log(f"python echo server on port {self.port}")

    def handler(self, ws):
        rec = {"subprotocol": ws.subprotocol, "messages": 0, "sizes": set(), "types": set(),
               "close_code": None, "error": None, "done": threading.Event()}
        with self.lock:
            self.sessions.append(rec)
        try:
            for msg in ws:
                rec["messages"] += 1
                rec["sizes"].add(len(msg))
                rec["types"].add(type(msg).__name__)
                ws.send(msg)
        except Exception as e:  # noqa: BLE001
            rec["error"] = f"{type(e).__name__}: {e}"
        rec["close_code"] = ws.close_code
        rec["done"].set()

    def stop(self):
        self.server.shutdown()
        self.thread.join(scaled(10))


def main():
    args = parse_args(__doc__)
    check(args.client, "--client is required")
    arm_watchdog(args.timeout)
    srv = PyEchoServer()

    def run_client(n, size, timeout):
        before = len(srv.sessions)
        argv = launcher() + [args.client, "-a", HOST, "-p", str(srv.port), "-n", str(n),
                             "-s", str(size)]
        p = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            out, _ = p.communicate(timeout=scaled(timeout))
        except subprocess.TimeoutExpired:
            p.kill()
            out, _ = p.communicate()
            raise TestFailure(f"echo-client -n {n} -s {size} did not finish within "
                                 f"{timeout} s; output:\n{out.decode(errors='replace')}")
        text = out.decode(errors="replace")
        check(p.returncode == 0, f"echo-client -n {n} -s {size} exited {p.returncode}; "
              f"output:\n{text}")
        # The server-side view of the same session (its handler ends after the close).
        check(len(srv.sessions) == before + 1, f"expected one new session, got "
              f"{len(srv.sessions) - before}")
        rec = srv.sessions[-1]
        check(rec["done"].wait(scaled(10)), "python server's session did not end")
        check(rec["error"] is None, f"python server saw an error: {rec['error']}")
        check(rec["subprotocol"] == "lws-echo", f"subprotocol {rec['subprotocol']!r}")
        check(rec["messages"] == n, f"python server got {rec['messages']} messages, expected {n}")
        check(rec["sizes"] == {size}, f"message sizes {sorted(rec['sizes'])}, expected {size}")
        check(rec["types"] == {"bytes"}, f"message types {rec['types']}, expected binary")
        check(rec["close_code"] == 1000, f"client's close code {rec['close_code']}, expected 1000")
        log(f"  echo-client -n {n} -s {size}: exit 0, {n} messages seen by the python server")

    tests = [
        ("c_client_1000x3000", lambda: run_client(1000, 3000, 60)),
        ("c_client_20x1MiB", lambda: run_client(20, 1048576, 90)),
    ]
    try:
        return run_tests(tests, args.only)
    finally:
        srv.stop()


if __name__ == "__main__":
    main_guard(main)
