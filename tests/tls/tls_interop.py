"""TLS interoperability (spec B3.3-B3.6): our wss client against the Python
`websockets` server, the Python client and `openssl s_client` against our wss
server, and a plain-text peer on the TLS port. Certificates are made at test
time by make-certs.sh. Usage: tls_interop.py BUILD_DIR"""
import asyncio
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

import websockets

BUILD = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(BUILD, "examples", "echo-server")
CLIENT = os.path.join(BUILD, "examples", "echo-client")
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


class PyServer:
    """A Python websockets wss echo server in a thread, with a given cert."""

    def __init__(self, certs, cert, key, client_ca=None):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(os.path.join(certs, cert), os.path.join(certs, key))
        if client_ca:
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(os.path.join(certs, client_ca))
        self.ctx = ctx
        self.port = None
        self.ready = threading.Event()
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.run, daemon=True).start()
        self.ready.wait(10)

    def run(self):
        asyncio.set_event_loop(self.loop)

        async def echo(ws):
            async for m in ws:
                await ws.send(m)

        async def main():
            async with websockets.serve(echo, "127.0.0.1", 0, ssl=self.ctx, compression=None,
                                        subprotocols=["lws-echo"], max_size=None) as srv:
                self.port = srv.sockets[0].getsockname()[1]
                self.ready.set()
                await asyncio.Future()

        try:
            self.loop.run_until_complete(main())
        except Exception:
            pass


def our_client(port, *args):
    p = subprocess.run([CLIENT, "-p", str(port), "-n", "20", "-s", "1000", "--tls", *args],
                       capture_output=True, text=True, timeout=30)
    return p.returncode, p.stderr


def main():
    certs = tempfile.mkdtemp(prefix="lws-rs-certs-")
    subprocess.run([os.path.join(HERE, "make-certs.sh"), certs], check=True, capture_output=True)
    ca = os.path.join(certs, "ca.pem")

    good = PyServer(certs, "server.pem", "server.key")
    rc, err = our_client(good.port, "--ca", ca, "--host", "localhost")
    check("wss client, CA file, name matches", rc == 0, err[-300:])
    rc, err = our_client(good.port, "--ca", ca)
    check("wss client, IP address checked as an IP", rc == 0, err[-300:])
    rc, err = our_client(good.port, "--host", "localhost")
    check("wss client, unknown CA fails with tls: unknown issuer", rc != 0 and "tls: unknown issuer" in err, err[-300:])
    rc, err = our_client(good.port, "--ca", ca, "--host", "wrong.example")
    check("wss client, hostname mismatch reported", rc != 0 and "tls: hostname mismatch" in err, err[-300:])
    rc, err = our_client(good.port, "--ca", ca, "--host", "wrong.example", "--skip-hostname-check")
    check("wss client, hostname mismatch allowed by SKIP_SERVER_CERT_HOSTNAME_CHECK", rc == 0, err[-300:])

    selfsigned = PyServer(certs, "self.pem", "self.key")
    rc, err = our_client(selfsigned.port, "--host", "localhost")
    check("wss client, self-signed refused", rc != 0 and "tls: " in err, err[-300:])
    rc, err = our_client(selfsigned.port, "--host", "localhost", "--allow-selfsigned")
    check("wss client, self-signed allowed by ALLOW_SELFSIGNED", rc == 0, err[-300:])

    expired = PyServer(certs, "expired.pem", "expired.key")
    rc, err = our_client(expired.port, "--ca", ca, "--host", "localhost")
    check("wss client, expired refused", rc != 0 and "tls: certificate expired" in err, err[-300:])
    rc, err = our_client(expired.port, "--ca", ca, "--host", "localhost", "--allow-expired")
    check("wss client, expired allowed by ALLOW_EXPIRED", rc == 0, err[-300:])

    # Our wss server.
    srv = subprocess.Popen([SERVER, "-p", "0", "-s", "--cert", os.path.join(certs, "server.pem"),
                            "--key", os.path.join(certs, "server.key")],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    port = None
    t0 = time.time()
    while port is None and time.time() - t0 < 10:
        line = srv.stdout.readline()
        if "echo server on port" in line:
            port = int(line.split("port")[1].split()[0])
    threading.Thread(target=lambda: [None for _ in srv.stdout], daemon=True).start()

    async def python_client(n):
        ctx = ssl.create_default_context(cafile=ca)
        async with websockets.connect(f"wss://localhost:{port}/", ssl=ctx, subprotocols=["lws-echo"],
                                      compression=None, max_size=None) as ws:
            for size in (0, 125, 65536, 1 << 20):
                data = os.urandom(size)
                await ws.send(data)
                if await ws.recv() != data:
                    return False
            for i in range(n):
                await ws.send(f"m{i}")
            for i in range(n):
                if await ws.recv() != f"m{i}":
                    return False
            return True

    check("wss server, Python client echoes up to 1 MiB and 1000 messages",
          asyncio.run(asyncio.wait_for(python_client(1000), 30)))

    p = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-servername", "localhost",
                        "-CAfile", ca, "-alpn", "http/1.1"],
                       input="", capture_output=True, text=True, timeout=15)
    out = p.stdout + p.stderr
    check("openssl s_client verifies the server", "Verification: OK" in out or "Verify return code: 0" in out, out[-400:])
    check("openssl s_client negotiates ALPN http/1.1", "ALPN protocol: http/1.1" in out, out[-400:])

    # A plain-text peer on the TLS port is dropped; TLS clients are unaffected.
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    try:
        data = s.recv(4096)
        while data and len(data) < 65536:
            more = s.recv(4096)
            if not more:
                break
            data += more
    except OSError:
        data = b""
    s.close()
    check("plain text on the TLS port gets no HTTP answer", b"HTTP/1.1" not in data, repr(data[:80]))
    check("wss server still serves after the plain-text peer", asyncio.run(asyncio.wait_for(python_client(10), 30)))

    rc, err = our_client(port, "--ca", ca, "--host", "localhost")
    check("our wss client against our wss server", rc == 0, err[-300:])

    srv.terminate()
    srv.wait(10)

    # https client against Python's http.server over TLS.
    hp = subprocess.Popen([sys.executable, os.path.join(HERE, "..", "http", "pyserver.py"),
                           os.path.join(certs, "server.pem"), os.path.join(certs, "server.key")],
                          stdout=subprocess.PIPE, text=True)
    hport = int(hp.stdout.readline())
    p = subprocess.run([os.path.join(BUILD, "examples", "http-client"), "-p", str(hport), "--tls",
                        "--ca", ca, "--host", "localhost", "--path", "/chunked/70000"],
                       capture_output=True, text=True, timeout=30)
    check("https client against Python http.server (chunked body)",
          p.returncode == 0 and p.stdout.startswith("status 200 bytes 70000"), p.stdout + p.stderr[-300:])
    hp.terminate()
    hp.wait(10)

    def start(*extra):
        p = subprocess.Popen([SERVER, "-p", "0", "-s", "--cert", os.path.join(certs, "server.pem"),
                              "--key", os.path.join(certs, "server.key"), *extra],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        t0 = time.time()
        while time.time() - t0 < 10:
            line = p.stdout.readline()
            if "echo server on port" in line:
                return p, int(line.split("port")[1].split()[0])
        return p, None

    # ALLOW_NON_SSL_ON_SSL_PORT + ALLOW_HTTP_ON_HTTPS_LISTENER: plain ws and wss on one port.
    srv2, port2 = start("--allow-non-tls")

    async def plain_client():
        async with websockets.connect(f"ws://127.0.0.1:{port2}/", subprotocols=["lws-echo"],
                                      compression=None) as ws:
            await ws.send("plain")
            return await ws.recv() == "plain"

    check("ALLOW_NON_SSL_ON_SSL_PORT serves a plain ws client", asyncio.run(asyncio.wait_for(plain_client(), 20)))
    rc, err = our_client(port2, "--ca", ca, "--host", "localhost")
    check("ALLOW_NON_SSL_ON_SSL_PORT still serves wss", rc == 0, err[-300:])
    srv2.terminate()
    srv2.wait(10)

    # ALLOW_NON_SSL_ON_SSL_PORT + REDIRECT_HTTP_TO_HTTPS: a plain request gets 301 to https.
    srv3, port3 = start("--redirect-to-https")
    p = subprocess.run(["curl", "-s", "-i", "--max-time", "10", f"http://localhost:{port3}/x?y=1"],
                       capture_output=True, text=True)
    check("REDIRECT_HTTP_TO_HTTPS answers 301 to the https URL",
          p.stdout.startswith("HTTP/1.1 301") and f"location: https://localhost:{port3}/x?y=1" in p.stdout,
          p.stdout[:200])
    srv3.terminate()
    srv3.wait(10)
    code = 0
    try:
        code = srv.wait(10)
    except subprocess.TimeoutExpired:
        srv.kill()
        code = -9
    check("wss server exits cleanly", code == 0, f"exit {code}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


sys.exit(main())
