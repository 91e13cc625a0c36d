"""A tiny HTTP server on 127.0.0.1, in a thread, for the fetcher's and importers' tests.

`StubServer(routes)` answers each path (without the query; "*" for any other) with its route:
`(status, headers, body)`, or a callable taking the handler for answers that must misbehave
(sleep, trickle). Every request is recorded (`requests`: path, query and headers). With
`tls=` (a server-side ssl.SSLContext) it speaks HTTPS."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class StubServer:
    def __init__(self, routes, *, tls=None):
        self.routes = routes
        self.requests = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                parts = urlsplit(self.path)
                stub.requests.append((parts.path, parts.query, dict(self.headers)))
                route = stub.routes.get(parts.path, stub.routes.get("*"))
                if route is None:
                    route = (404, {"Content-Type": "text/html"}, b"<p>Nothing here.</p>")
                if callable(route):
                    route(self)
                    return
                status, headers, body = route
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers and body is not None:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        if tls is not None:  # an ssl.SSLContext for the server side: HTTPS
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
