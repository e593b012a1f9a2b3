#!/usr/bin/env python3
"""The demo's upstream: a plain HTTP/1.1 service on 127.0.0.1:PORT that answers every request
with what it received from the proxy (method, path, and the forwarding and identity headers),
so `make demo` can show the client identity the upstream saw. Standard library only."""

import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SHOWN = (
    "x-forwarded-client-cert",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-real-ip",
)


class Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        lines = [f"upstream received {self.command} {self.path} ({self.request_version})"]
        for name in SHOWN:
            value = self.headers.get(name)
            if value is not None:
                lines.append(f"  {name}: {value}")
        body = ("\n".join(lines) + "\n").encode()
        self.send_response(200)
        self.send_header("content-type", "text/plain; charset=utf-8")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # the proxy's access log is the one to read
        pass


def main():
    port = int(sys.argv[1])
    server = ThreadingHTTPServer(("127.0.0.1", port), Echo)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
