"""Shared helpers for the interoperability tests (tests/interop/).

The tests drive the C example programs built against lws-rs (examples/echo-server.c,
examples/echo-client.c) with an independent WebSocket implementation (the Python
`websockets` library) and with hand-made bytes on raw sockets.

Everything here is loopback-only (127.0.0.1, ephemeral ports) and bounded in time: every
socket operation has a deadline and each test program arms a watchdog that kills the child
processes and exits non-zero if the whole run overruns.

Written for lws-rs; no code here comes from libwebsockets.
"""

import argparse
import base64
import ctypes
import hashlib
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback

WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
HOST = "127.0.0.1"

# Opcodes (RFC 6455 section 5.2).
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA

# Scale for every time limit, for slow launchers (valgrind) and loaded machines; set by
# --time-scale (or LWS_INTEROP_TIME_SCALE).
TIME_SCALE = float(os.environ.get("LWS_INTEROP_TIME_SCALE", "1") or "1")
# Command prefix (e.g. valgrind and its options) for our C programs; set by --launcher ...
# (or LWS_INTEROP_LAUNCHER, a ';'-separated list as CMake writes lists).
LAUNCHER = [x for x in os.environ.get("LWS_INTEROP_LAUNCHER", "").split(";") if x]


def scaled(seconds):
    return seconds * TIME_SCALE


class TestFailure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise TestFailure(msg)


def log(*a):
    print(*a, flush=True)


# ---------------------------------------------------------------- child processes

_children = []
_children_lock = threading.Lock()


def _pdeathsig():
    # Make the child die with us if this script is killed (e.g. by ctest's timeout).
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def launcher():
    """The optional command prefix (e.g. valgrind) for our C programs."""
    return list(LAUNCHER)


def spawn(argv, **kw):
    p = subprocess.Popen(argv, preexec_fn=_pdeathsig, **kw)
    with _children_lock:
        _children.append(p)
    return p


def kill_children():
    with _children_lock:
        for p in _children:
            if p.poll() is None:
                try:
                    p.kill()
                except OSError:
                    pass


def arm_watchdog(seconds):
    """Exit the process (status 3) if the test program runs longer than `seconds`."""

    def fire():
        log(f"WATCHDOG: test did not finish within {seconds:.0f} s; killing children")
        try:
            main = sys._current_frames().get(threading.main_thread().ident)
            for line in traceback.format_stack(main):
                sys.stdout.write(line)
        except Exception:
            pass
        kill_children()
        sys.stdout.flush()
        os._exit(3)

    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()
    return t


class EchoServer:
    """examples/echo-server on an ephemeral loopback port, its output collected."""

    def __init__(self, path, extra_args=(), banner=rb"echo server on port (\d+)", prefix=()):
        self.path = path
        self.banner = banner
        # LWS_INTEROP_SERVER_ARGS adds options, e.g. "-d 1151" for the info log.
        extra = os.environ.get("LWS_INTEROP_SERVER_ARGS", "").split() + list(extra_args)
        argv = list(prefix) + launcher() + [path, "-p", "0"] + extra
        self.proc = spawn(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
        self._out = bytearray()
        self._lock = threading.Lock()
        self._port_ready = threading.Event()
        self.port = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._port_ready.wait(scaled(20)):
            self.proc.kill()
            self.proc.wait()
            raise TestFailure("echo-server did not report its port; output:\n" + self.output())
        log(f"echo-server pid {self.proc.pid} on port {self.port}")

    def _read(self):
        fd = self.proc.stdout.fileno()
        while True:
            try:
                b = os.read(fd, 65536)
            except OSError:
                break
            if not b:
                break
            with self._lock:
                self._out += b
                if self.port is None:
                    m = re.search(self.banner, self._out)
                    if m:
                        self.port = int(m.group(1))
                        self._port_ready.set()
        self._port_ready.set()

    def output(self):
        with self._lock:
            return self._out.decode("utf-8", "replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        """SIGTERM the server; it must exit 0 (not crash, not hang, no sanitizer report)."""
        if self.proc.poll() is not None:
            rc = self.proc.returncode
            raise TestFailure(f"echo-server had already exited (status {rc}) before the end "
                              f"of the test; output:\n{self.output()}")
        # examples/echo-server.c only sets a flag in its signal handler and then calls
        # lws_service() again, which can block indefinitely when the signal landed outside
        # the poll (a race of the example, as in lws's own minimal examples; slow launchers
        # such as valgrind make it likely). So the signal is repeated, and a server that
        # needed more than one is reported with a NOTE, not failed.
        limit = time.monotonic() + scaled(15)
        signals = 0
        rc = None
        while rc is None and time.monotonic() < limit:
            self.proc.send_signal(signal.SIGTERM)
            signals += 1
            try:
                rc = self.proc.wait(min(scaled(2), max(0.1, limit - time.monotonic())))
            except subprocess.TimeoutExpired:
                pass
        if rc is None:
            self.proc.kill()
            self.proc.wait()
            raise TestFailure(f"echo-server did not exit within {scaled(15):.0f} s of SIGTERM "
                              f"({signals} sent); output:\n" + self.output())
        if signals > 1:
            log(f"NOTE: echo-server needed {signals} SIGTERMs to exit (signal race of the "
                f"example's main loop, not a crash)")
        self._reader.join(5)
        if rc != 0:
            how = f"signal {signal.Signals(-rc).name}" if rc < 0 else f"status {rc}"
            raise TestFailure(f"echo-server ended with {how} after SIGTERM (expected exit 0); "
                              f"output:\n{self.output()}")
        log("echo-server exited 0 after SIGTERM")


# ---------------------------------------------------------------- test runner

def parse_args(description):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--server", help="path of the built echo-server")
    ap.add_argument("--client", help="path of the built echo-client")
    ap.add_argument("--http-server", help="path of the built http-ws-server")
    ap.add_argument("--timeout", type=float, default=None,
                    help="watchdog for the whole program, seconds (default 120 x time scale)")
    ap.add_argument("--time-scale", type=float, default=None,
                    help="multiply every time limit by this (slow launchers)")
    ap.add_argument("-k", dest="only", default=None, help="run only tests whose name contains this")
    ap.add_argument("--launcher", nargs=argparse.REMAINDER, default=None,
                    help="(last) run the C programs under this command, e.g. valgrind ...")
    args = ap.parse_args()
    global TIME_SCALE, LAUNCHER
    if args.time_scale is not None:
        TIME_SCALE = args.time_scale
    if args.launcher is not None:
        LAUNCHER = list(args.launcher)
    if args.timeout is None:
        args.timeout = scaled(120)
    for name in ("server", "client", "http_server"):
        v = getattr(args, name)
        if v is not None and not (os.path.isfile(v) and os.access(v, os.X_OK)):
            ap.error(f"--{name.replace('_', '-')} {v!r} is not an executable file (were the examples built?)")
    return args


def run_tests(tests, only=None):
    """Run (name, fn) pairs in order; print a verdict per test and the closing tally."""
    passed = failed = 0
    failures = []
    for name, fn in tests:
        if only and only not in name:
            continue
        t0 = time.monotonic()
        log(f"--- {name}")
        try:
            fn()
        except Exception as e:  # noqa: BLE001 - any exception is a test failure
            failed += 1
            failures.append(name)
            if isinstance(e, TestFailure):
                log(f"FAIL {name}: {e}")
            else:
                log(f"FAIL {name}: {type(e).__name__}: {e}")
                traceback.print_exc(file=sys.stdout)
        else:
            passed += 1
            log(f"ok   {name} ({time.monotonic() - t0:.2f} s)")
    log("")
    if failures:
        log("failed: " + ", ".join(failures))
    log(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 and passed > 0 else 1


# ---------------------------------------------------------------- raw-socket WebSocket

def connect_raw(port, timeout=5.0):
    s = socket.create_connection((HOST, port), timeout=scaled(timeout))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def accept_for(key):
    return base64.b64encode(hashlib.sha1(key.encode() + WS_GUID).digest()).decode()


def upgrade_request(port, key=None, version="13", protocol="lws-echo", method="GET",
                    omit=(), extra=()):
    """An RFC 6455 opening handshake; headers named in `omit` are left out."""
    if key is None:
        key = base64.b64encode(os.urandom(16)).decode()
    hdrs = [
        ("Host", f"{HOST}:{port}"),
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", key),
        ("Sec-WebSocket-Version", version),
        ("Sec-WebSocket-Protocol", protocol),
    ]
    hdrs = [(k, v) for k, v in hdrs if k not in omit and v is not None] + list(extra)
    req = f"{method} / HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in hdrs) + "\r\n"
    return req.encode(), key


def read_until(sock, marker, deadline, limit=65536):
    """Read until `marker` is in the data, EOF, or the deadline; returns (data, eof)."""
    buf = bytearray()
    while marker not in buf:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TestFailure(f"timed out waiting for {marker!r}; got {bytes(buf[:300])!r}")
        sock.settimeout(left)
        try:
            b = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return bytes(buf), True
        if not b:
            return bytes(buf), True
        buf += b
        if len(buf) > limit:
            raise TestFailure(f"no {marker!r} within {limit} bytes")
    return bytes(buf), False


def read_to_eof(sock, timeout=5.0):
    """All bytes until the peer closes. Raises if the connection stays open past the timeout."""
    deadline = time.monotonic() + scaled(timeout)
    buf = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TestFailure(f"connection still open after {timeout:.0f} s "
                              f"(got {len(buf)} bytes: {bytes(buf[:200])!r})")
        sock.settimeout(left)
        try:
            b = sock.recv(65536)
        except socket.timeout:
            continue
        except ConnectionResetError:
            return bytes(buf)
        if not b:
            return bytes(buf)
        buf += b


def parse_http_response(data):
    """(status, {lower-name: value}, rest) of an HTTP/1.x response head."""
    head, sep, rest = data.partition(b"\r\n\r\n")
    check(sep, f"incomplete HTTP response: {data[:300]!r}")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"HTTP/1\.[01] (\d{3})", lines[0])
    check(m, f"bad status line {lines[0]!r}")
    hdrs = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        hdrs.setdefault(k.strip().lower(), []).append(v.strip())
    return int(m.group(1)), hdrs, rest


def handshake(port, timeout=5.0):
    """A raw socket that has completed a good upgrade; returns (sock, leftover bytes)."""
    s = connect_raw(port, timeout)
    req, key = upgrade_request(port)
    s.sendall(req)
    data, eof = read_until(s, b"\r\n\r\n", time.monotonic() + scaled(timeout))
    check(not eof, f"server closed during the handshake; got {data!r}")
    status, hdrs, rest = parse_http_response(data)
    check(status == 101, f"expected 101, got {status}: {data[:300]!r}")
    check(hdrs.get("sec-websocket-accept") == [accept_for(key)],
          f"bad Sec-WebSocket-Accept {hdrs.get('sec-websocket-accept')}")
    return s, rest


def frame(opcode, payload=b"", fin=True, rsv=0, mask=True, length=None, mask_key=None):
    """One frame as a client would send it; `length` overrides the announced length."""
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    mbit = 0x80 if mask else 0
    if n < 126:
        hdr = struct.pack("!BB", b0, mbit | n)
    elif n < 65536:
        hdr = struct.pack("!BBH", b0, mbit | 126, n)
    else:
        hdr = struct.pack("!BBQ", b0, mbit | 127, n)
    if not mask:
        return hdr + payload
    # A fixed default key keeps every raw test byte-for-byte reproducible.
    key = b"\x37\xfa\x21\x3d" if mask_key is None else mask_key
    return hdr + key + bytes(c ^ key[i & 3] for i, c in enumerate(payload))


class FrameReader:
    """Parses frames sent by the server (which must not mask them)."""

    def __init__(self, sock, initial=b""):
        self.sock = sock
        self.buf = bytearray(initial)
        self.eof = False

    def _fill(self, need, deadline):
        while len(self.buf) < need:
            if self.eof:
                return False
            left = deadline - time.monotonic()
            if left <= 0:
                raise TestFailure(f"timed out waiting for a frame (have {bytes(self.buf[:64])!r})")
            self.sock.settimeout(left)
            try:
                b = self.sock.recv(65536)
            except socket.timeout:
                continue
            except ConnectionResetError:
                b = b""
            if not b:
                self.eof = True
                return len(self.buf) >= need
            self.buf += b
        return True

    def next(self, timeout=5.0, scale=True):
        """(fin, rsv, opcode, payload, masked), or None at EOF on a frame boundary."""
        deadline = time.monotonic() + (scaled(timeout) if scale else timeout)
        if not self._fill(2, deadline):
            check(not self.buf, f"EOF inside a frame header: {bytes(self.buf)!r}")
            return None
        b0, b1 = self.buf[0], self.buf[1]
        n = b1 & 0x7F
        hl = 2 + (2 if n == 126 else 8 if n == 127 else 0) + (4 if b1 & 0x80 else 0)
        check(self._fill(hl, deadline), "EOF inside a frame header")
        if n == 126:
            n = struct.unpack("!H", self.buf[2:4])[0]
        elif n == 127:
            n = struct.unpack("!Q", self.buf[2:10])[0]
        check(self._fill(hl + n, deadline), f"EOF inside a frame payload ({n} bytes announced)")
        payload = bytes(self.buf[hl:hl + n])
        if b1 & 0x80:
            key = self.buf[hl - 4:hl]
            payload = bytes(c ^ key[i & 3] for i, c in enumerate(payload))
        del self.buf[:hl + n]
        return bool(b0 & 0x80), (b0 >> 4) & 7, b0 & 0x0F, payload, bool(b1 & 0x80)


# ---------------------------------------------------------------- python-websockets helpers

def ws_connect(port, **kw):
    from websockets.sync.client import connect

    opts = dict(subprotocols=["lws-echo"], open_timeout=scaled(10), close_timeout=scaled(10),
                ping_interval=None, max_size=None, proxy=None)
    opts.update(kw)
    return connect(f"ws://{HOST}:{port}/", **opts)


def echo_roundtrip(ws, msg, timeout=10.0):
    ws.send(msg)
    got = ws.recv(timeout=scaled(timeout))
    check(type(got) is type(msg), f"echo changed the message type: sent {type(msg).__name__}, "
          f"got {type(got).__name__}")
    check(got == msg, f"echo differs: sent {len(msg)} units, got {len(got)}"
          + (f", first difference at {first_diff(msg, got)}" if len(got) == len(msg) else ""))


def first_diff(a, b):
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i
    return min(len(a), len(b))


class BackgroundEchoer:
    """A well-behaved websockets client echoing varied messages in a thread until stopped.

    Used to show that other connections are undisturbed while bad peers are handled."""

    def __init__(self, port, name="bystander"):
        self.name = name
        self.ws = ws_connect(port)
        self.count = 0
        self.error = None
        self._stop = threading.Event()
        self._go = threading.Event()
        self._go.set()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def pause(self):
        """Stop sending after the current round trip; returns once the thread is idle."""
        self._idle.clear()
        self._go.clear()
        check(self._idle.wait(scaled(15)), f"{self.name}: could not pause")
        self.assert_ok()

    def resume(self):
        self._go.set()

    def _run(self):
        i = 0
        try:
            while not self._stop.is_set():
                if not self._go.is_set():
                    self._idle.set()
                    self._go.wait()
                    continue
                i += 1
                if i % 3 == 0:
                    msg = ("bystander %d " % i) * (i % 50 + 1)
                else:
                    msg = bytes((i * 31 + k) & 0xFF for k in range((i * 97) % 3000))
                echo_roundtrip(self.ws, msg, timeout=10)
                self.count += 1
        except Exception as e:  # noqa: BLE001
            self.error = e
        self._idle.set()

    def wait_for(self, n, timeout=10.0):
        """Block until at least `n` more echoes completed (progress, not a sleep)."""
        target = self.count + n
        deadline = time.monotonic() + scaled(timeout)
        while self.count < target and self.error is None and time.monotonic() < deadline:
            time.sleep(0.005)
        self.assert_ok()
        check(self.count >= target, f"{self.name}: no progress ({self.count}/{target} echoes)")

    def assert_ok(self):
        if self.error is not None:
            raise TestFailure(f"{self.name} connection disturbed after {self.count} echoes: "
                              f"{type(self.error).__name__}: {self.error}")
        check(self._thread.is_alive() or self._stop.is_set(), f"{self.name} thread ended")

    def finish(self):
        """Stop, verify, and close with 1000; the server must echo the close code."""
        self._stop.set()
        self._go.set()
        self._thread.join(scaled(15))
        check(not self._thread.is_alive(), f"{self.name} thread stuck")
        self.assert_ok()
        self.ws.close(1000, "bystander done")
        check(self.ws.close_code == 1000,
              f"{self.name}: server's close code {self.ws.close_code}, expected 1000")
        log(f"{self.name}: {self.count} echoes, all intact")


def process_cpu_seconds(pid):
    """User + system CPU time of a process, from /proc (Linux)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main_guard(fn):
    """Run `fn` (returns an exit status); kill children on the way out whatever happens."""
    try:
        rc = fn()
    except Exception:  # noqa: BLE001
        traceback.print_exc(file=sys.stdout)
        rc = 1
    finally:
        kill_children()
    sys.stdout.flush()
    os._exit(rc)
