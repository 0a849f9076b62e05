"""`build.py serve`: a local preview of the built site on 127.0.0.1, as a static host would serve it.

The port is bound before building, so a port in use is reported at once; a missing page gets the site's own 404 page,
as on GitHub Pages.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path

HOST = "127.0.0.1"


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for the build's diagnostics."""


def bind(port: int, directory: Path) -> http.server.ThreadingHTTPServer:
    """Raises OSError when the port is taken."""
    handler = functools.partial(_SiteHandler, directory=str(directory))
    return http.server.ThreadingHTTPServer((HOST, port), handler)


def address(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"
