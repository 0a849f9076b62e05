"""`build.py serve`: a local preview on 127.0.0.1, as a static host would serve it, plus live reload.

The port is bound before building, so a port in use is reported at once; a missing page gets the site's own 404
page, as on GitHub Pages. Only here, never in the built files, each HTML page gets a small script that asks for the
site's version twice a second and reloads the tab after a rebuild; while the content has errors every page shows
them instead.
"""

from __future__ import annotations

import functools
import html
import http.server
import sys
from pathlib import Path
from urllib.parse import urlsplit

from medborgarlofte.preview.live import LiveSite

HOST = "127.0.0.1"
LIVE = "/__medborgarlofte/"
POLL_MS = 500
# Polling a tiny version number rather than holding a Server-Sent Events connection open: a browser allows six
# connections per host, so a seventh open tab would never load.
RELOAD_SCRIPT = f"""// Only in `build.py serve`: reload this tab when the site has been rebuilt.
const version = new URL(document.currentScript.src).searchParams.get("v");
setInterval(async () => {{
  try {{
    const answer = await fetch("{LIVE}version", {{ cache: "no-store" }});
    if ((await answer.text()) !== version) window.location.reload();
  }} catch {{
    // The server is restarting or stopped: try again at the next tick.
  }}
}}, {POLL_MS});
""".encode()


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    live: LiveSite | None = None

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if self.live and path == LIVE + "reload.js":
            self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT)
        elif self.live and path == LIVE + "style.css":  # the error page's, there before any build succeeded
            self._send(200, "text/css; charset=utf-8", (self.live.options.theme / "static" / "style.css").read_bytes())
        elif self.live and path == LIVE + "version":
            self._send(200, "text/plain; charset=utf-8", str(self.live.version).encode())
        elif self.live and self.live.problems and _is_page(path):
            self._send(500, "text/html; charset=utf-8", self._inject(_problem_page(self.live)))
        elif self.live and _is_page(path) and (page := self._page(path)) is not None:
            self._send(200, "text/html; charset=utf-8", self._inject(page))
        else:
            super().do_GET()

    def _page(self, path: str) -> bytes | None:
        target = Path(self.translate_path(path))
        target = target / "index.html" if target.is_dir() else target
        return target.read_bytes() if target.is_file() and target.suffix == ".html" else None

    def _inject(self, page: bytes) -> bytes:
        assert self.live is not None
        tag = f'<script src="{LIVE}reload.js?v={self.live.version}"></script>\n</head>'.encode()
        return page.replace(b"</head>", tag, 1)

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self._send(404, "text/html; charset=utf-8", self._inject(body) if self.live else body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for the build's diagnostics."""


def _is_page(path: str) -> bool:
    return path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]


def _problem_page(live: LiveSite) -> bytes:
    items = "".join(
        f"<li><p><code>{html.escape(f'{d.file}:{d.line}:{d.column}')}</code>: {html.escape(d.message)}</p>"
        + (f"<p>Tips: {html.escape(d.hint)}</p>" if d.hint else "")
        + "</li>"
        for d in live.problems
    )
    return (
        '<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Fel i innehållet – förhandsvisning</title>\n"
        f'<link rel="stylesheet" href="{LIVE}style.css">\n</head>\n<body>\n<main class="wrap">\n'
        "<h1>Innehållet har fel</h1>\n"
        "<p>Webbplatsen byggs inte förrän felen nedan är rättade. Spara filen, så visas sidan igen.</p>\n"
        f'<ol class="problems">{items}</ol>\n</main>\n</body>\n</html>\n'
    ).encode()


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    # SO_REUSEADDR lets a restarted server take its port back at once; on Windows it also lets a second server take
    # a port another program listens on, and a port in use would go unnoticed.
    allow_reuse_address = sys.platform != "win32"


def bind(port: int, directory: Path, live: LiveSite | None = None) -> http.server.ThreadingHTTPServer:
    """Raises OSError when the port is taken."""
    handler = type("SiteHandler", (_SiteHandler,), {"live": live})
    return _Server((HOST, port), functools.partial(handler, directory=str(directory)))


def address(server: http.server.ThreadingHTTPServer) -> str:
    return f"http://{HOST}:{server.server_address[1]}/"
