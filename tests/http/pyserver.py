"""A small independent HTTP/1.1 server for the client tests (Python's http.server).
/size/N: N pattern bytes with Content-Length; /chunked/N: the same, chunked;
/status/N: an empty response with that status; POST /echo: the body back."""
import http.server
import sys


def pattern(n):
    return bytes((i * 7 + 3) % 251 for i in range(min(n, 1 << 20))) * 1 if n <= (1 << 20) else None


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def body(self, n):
        block = bytes((i * 7 + 3) % 251 for i in range(65536))
        while n > 0:
            piece = block[: min(n, len(block))]
            yield piece
            n -= len(piece)

    def do_GET(self):
        parts = self.path.strip("/").split("/")
        if parts[0] == "size":
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Content-Length", str(n))
            self.end_headers()
            for piece in self.body(n):
                self.wfile.write(piece)
        elif parts[0] == "chunked":
            n = int(parts[1])
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for piece in self.body(n):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
            self.wfile.write(b"0\r\n\r\n")
        elif parts[0] == "redir":
            # /redir/abs -> absolute URL, /redir/rel -> a path on this server
            port = self.server.server_address[1]
            to = f"http://127.0.0.1:{port}/size/10" if parts[1] == "abs" else "/size/20"
            self.send_response(302)
            self.send_header("Location", to)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif parts[0] == "status":
            self.send_response(int(parts[1]))
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self.send_error(404)

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        data = self.rfile.read(n)
        if self.path == "/see-other":
            self.send_response(303)
            self.send_header("Location", "/size/5")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) == 3:  # certificate and key: serve https
    import ssl
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print(srv.server_address[1], flush=True)
srv.serve_forever()
