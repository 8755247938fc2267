#!/usr/bin/env python3
"""Interop: descriptor exhaustion (issue #14). The echo server runs with `ulimit -n 32`
(prlimit) and a connect flood takes every descriptor it has:

  - accept fails gracefully: one log line for the episode, not one per try;
  - no busy loop: the server's CPU time stays flat while it is starved;
  - a websockets client connected before the flood keeps echoing;
  - a websockets client that connects while the server is starved (it waits in the
    kernel's backlog) is served as soon as the flood's sockets close, and so is a fresh one;
  - the server exits 0 on SIGTERM.

  test_fd_exhaustion.py --server build/examples/echo-server
"""
import os
import socket
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interop_common import (  # noqa: E402
    BackgroundEchoer, EchoServer, arm_watchdog, check, echo_roundtrip, log, main_guard,
    parse_args, process_cpu_seconds, run_tests, scaled, ws_connect,
)

NOFILE = 32
FLOOD = 80


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def main():
    args = parse_args(__doc__)
    check(args.server, "--server is required")
    arm_watchdog(args.timeout)
    server = EchoServer(args.server, prefix=["prlimit", f"--nofile={NOFILE}:{NOFILE}", "--"])
    port = server.port
    pid = server.proc.pid
    bystander = BackgroundEchoer(port)
    bystander.wait_for(5)
    idle_fds = open_fds(pid)
    log(f"server pid {pid}: {idle_fds} descriptors open at idle, limit {NOFILE}")
    flood = []
    waiter = {}

    def t_flood_starves_without_busy_loop():
        for _ in range(FLOOD):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(5)
            s.connect(("127.0.0.1", port))
            flood.append(s)
        deadline = time.monotonic() + scaled(5)
        while open_fds(pid) < NOFILE and time.monotonic() < deadline:
            time.sleep(0.05)
        check(open_fds(pid) >= NOFILE - 1, f"server holds only {open_fds(pid)} descriptors "
              f"after a flood of {FLOOD} (limit {NOFILE})")
        time.sleep(0.5)
        cpu0 = process_cpu_seconds(pid)
        bystander.wait_for(20)  # the established client is unaffected
        time.sleep(2)
        used = process_cpu_seconds(pid) - cpu0
        log(f"starved for ~2 s: {used:.2f} s of server CPU (while echoing for the bystander)")
        check(used < 1.0, f"server used {used:.2f} s of CPU while starved: busy loop")
        lines = server.output().count("accept:")
        check(1 <= lines <= 2, f"{lines} 'accept:' log lines during one starvation episode")

    def t_waiting_client_served_when_fds_free():
        def connect_late():
            try:
                ws = ws_connect(port, open_timeout=scaled(20))
                echo_roundtrip(ws, b"late client")
                ws.close()
                waiter["ok"] = time.monotonic()
            except Exception as e:  # noqa: BLE001
                waiter["error"] = e
        t = threading.Thread(target=connect_late, daemon=True)
        t.start()
        time.sleep(1)
        check(not waiter, f"late client done while the server is starved? {waiter}")
        freed = time.monotonic()
        for s in flood:
            s.close()
        t.join(scaled(20))
        check("ok" in waiter, f"client waiting in the backlog not served after the flood left: "
              f"{waiter.get('error', 'still waiting')}")
        log(f"waiting client served {waiter['ok'] - freed:.2f} s after descriptors freed up")
        check(waiter["ok"] - freed < scaled(3), "served too late")
        ws = ws_connect(port)
        echo_roundtrip(ws, b"fresh client")
        ws.close()
        deadline = time.monotonic() + scaled(5)
        while open_fds(pid) > idle_fds and time.monotonic() < deadline:
            time.sleep(0.05)
        check(open_fds(pid) <= idle_fds, f"{open_fds(pid)} descriptors open after the flood, "
              f"{idle_fds} before")
        check("accepting again" in server.output(), "no 'accepting again' line")

    tests = [
        ("flood_starves_accept_without_busy_loop", t_flood_starves_without_busy_loop),
        ("backlog_client_served_once_descriptors_free", t_waiting_client_served_when_fds_free),
    ]
    rc = run_tests(tests, args.only)
    try:
        bystander.finish()
        server.stop()
    except Exception as e:  # noqa: BLE001
        log(f"FAIL at the end: {e}")
        rc = 1
    return rc


if __name__ == "__main__":
    main_guard(main)
