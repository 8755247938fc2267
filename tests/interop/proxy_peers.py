"""Peers for the HTTP-proxy client tests (tests-c/http/http_proxy_connect_and_client_reset.c).

One process serves, on 127.0.0.1 with ephemeral ports:
  - CONNECT proxies (our own, a few lines of asyncio), one per behaviour:
      open     tunnels to the requested host:port
      auth     tunnels only with "Proxy-authorization: basic dXNlcjpwYXNz" (user:pass), else 407
      vanish   reads the CONNECT request, then closes without answering
      endless  answers "HTTP/1.1 200" and then header lines that never end (64 KiB at most)
      silent   reads the CONNECT request and never answers
  - WebSocket echo servers (the independent `websockets` library): wsA and wsB answer each
    message with "A:" / "B:" in front; wss is wsA over TLS.
  - HTTP servers (Python's http.server): http and https, GET /who answers "python".
It writes "<name> <port>" lines to the port file (then a line "ready"), and appends one line
per CONNECT request the proxies see to the log file: "<proxy> <target> auth=<header or ->".
It stops when stdin closes, or after --seconds.

Usage: proxy_peers.py PORTFILE LOGFILE CERTDIR [--seconds N]

Written for lws-rs; no code here comes from libwebsockets.
"""

import asyncio
import http.server
import os
import ssl
import sys
import threading

import websockets.asyncio.server as ws_server

HOST = "127.0.0.1"
AUTH_TOKEN = "dXNlcjpwYXNz"  # user:pass


def main():
    port_file, log_file, cert_dir = sys.argv[1:4]
    seconds = 60.0
    if "--seconds" in sys.argv:
        seconds = float(sys.argv[sys.argv.index("--seconds") + 1])
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(os.path.join(cert_dir, "server.pem"), os.path.join(cert_dir, "server.key"))
    log = open(log_file, "a", buffering=1)
    asyncio.run(serve(port_file, log, tls, seconds))


async def read_head(reader, limit=8192):
    head = b""
    while b"\r\n\r\n" not in head and len(head) < limit:
        piece = await asyncio.wait_for(reader.read(1024), 10)
        if not piece:
            break
        head += piece
    return head


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


def proxy(name, log):
    async def handle(reader, writer):
        try:
            head = await read_head(reader)
            lines = head.decode("latin-1").split("\r\n")
            parts = lines[0].split(" ")
            target = parts[1] if len(parts) > 1 else "?"
            auth = "-"
            for line in lines[1:]:
                k, _, v = line.partition(":")
                if k.strip().lower() == "proxy-authorization":
                    auth = v.strip()
            log.write(f"{name} {target} auth={auth}\n")
            if name == "vanish":
                return
            if name == "silent":
                await asyncio.sleep(30)
                return
            if name == "endless":
                writer.write(b"HTTP/1.1 200 Connection established\r\n")
                for i in range(2048):
                    writer.write(b"X-Filler-%04d: aaaaaaaaaaaaaaaa\r\n" % i)
                    await writer.drain()
                return
            scheme, _, token = auth.partition(" ")
            if name == "auth" and (scheme.lower(), token) != ("basic", AUTH_TOKEN):
                writer.write(b"HTTP/1.1 407 Proxy Authentication Required\r\n"
                             b"Proxy-Authenticate: Basic realm=\"test\"\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            host, _, port = target.rpartition(":")
            up_r, up_w = await asyncio.wait_for(asyncio.open_connection(host.strip("[]"), int(port)), 5)
            writer.write(b"HTTP/1.1 200 Connection established\r\nVia: lws-rs-test-proxy\r\n\r\n")
            await writer.drain()
            await asyncio.gather(pipe(reader, up_w), pipe(up_r, writer))
        except (ConnectionError, asyncio.TimeoutError, ValueError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    return handle


def echo(prefix):
    async def handler(ws):
        try:
            async for m in ws:
                await ws.send(prefix + (m if isinstance(m, str) else m.decode("latin-1")))
        except Exception:
            pass

    return handler


class Who(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def do_GET(self):
        body = b"python" if self.path == "/who" else b"other"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body)


def http_server(tls):
    srv = http.server.ThreadingHTTPServer((HOST, 0), Who)
    srv.daemon_threads = True
    if tls:
        srv.socket = tls.wrap_socket(srv.socket, server_side=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv.server_address[1]


async def serve(port_file, log, tls, seconds):
    ports = []
    servers = []
    for name in ("open", "auth", "vanish", "endless", "silent"):
        s = await asyncio.start_server(proxy(name, log), HOST, 0)
        servers.append(s)
        ports.append((name, s.sockets[0].getsockname()[1]))
    for name, prefix, ctx in (("wsA", "A:", None), ("wsB", "B:", None), ("wss", "A:", tls)):
        s = await ws_server.serve(echo(prefix), HOST, 0, ssl=ctx)
        servers.append(s)
        ports.append((name, list(s.sockets)[0].getsockname()[1]))
    ports.append(("http", http_server(None)))
    ports.append(("https", http_server(tls)))
    with open(port_file + ".tmp", "w") as f:
        for name, port in ports:
            f.write(f"{name} {port}\n")
        f.write("ready\n")
    os.rename(port_file + ".tmp", port_file)
    loop = asyncio.get_running_loop()
    stdin_closed = loop.run_in_executor(None, sys.stdin.read)
    try:
        await asyncio.wait_for(stdin_closed, seconds)
    except asyncio.TimeoutError:
        pass
    os._exit(0)


if __name__ == "__main__":
    main()
