"""Live preview: serve a project's site on this machine, and reload its pages after each build.

``spectrace serve`` builds the project, serves ``OUTPUT/html`` with :class:`LiveSite`, and
waits for its inputs to change (:func:`changes`); each change that alters the digest of the
inputs (:mod:`spectrace.inputs`) is built again, incrementally, and every open page reloads
itself once the new site is in place, or shows the error line of a build that failed (the
previous site stays served).

Why watchfiles and not sphinx-autobuild: sphinx-autobuild rebuilds a Sphinx project when its
sources change, but spectrace's site is generated from the specs, the IRPs and the traced code,
so what must run again is ``spectrace build``, not Sphinx. watchfiles (the watcher under
uvicorn, on the operating system's change notifications) says when something changed; a short
script served here does the reload.

Pages reload by long polling: the server adds a ``<script>`` to each HTML page it serves (the
files are not changed), which asks ``/_spectrace/build?after=N`` for the state of the build
after the one the page comes from; the answer comes as soon as there is one, or after
:data:`POLL_SECONDS` to say nothing happened.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import stat
import threading
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from io import BytesIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from spectrace import limits

#: How long a page's request for news waits before it is told nothing happened.
POLL_SECONDS = 25.0
#: Changes that arrive within this many milliseconds of each other are one change (an editor
#: saving several files, a ``git checkout``).
DEBOUNCE_MS = 200
#: Without a change reported for this long, the inputs' digest is checked anyway.
TICK_MS = 1000
PREFIX = "/_spectrace/"
SCRIPT = "live.js"


@dataclass(frozen=True)
class BuildState:
    """What the pages are told: the number of the latest build, whether it gave a site, and
    its error line when it did not."""

    build: int = 0
    ok: bool = True
    message: str = ""


class LiveSite:
    """An HTTP server for the site in ``folder`` (read again at each request, so a build that
    switches the outputs in one step is served whole), with the reload channel."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0):
        self.folder = Path(folder)
        self._state = BuildState()
        self._news = threading.Condition()
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> LiveSite:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        with self._news:
            self._news.notify_all()
        self._server.shutdown()
        self._server.server_close()

    def announce(self, ok: bool, message: str = "") -> None:
        """Tell every open page a build ended: to reload when ``ok``, else to show
        ``message``."""
        with self._news:
            self._state = BuildState(self._state.build + 1, ok, message)
            self._news.notify_all()

    @property
    def state(self) -> BuildState:
        return self._state

    def news(self, after: int, timeout: float = POLL_SECONDS) -> BuildState:
        """Return the state once a build later than ``after`` ended, or after ``timeout``."""
        with self._news:
            self._news.wait_for(lambda: self._state.build > after, timeout)
            return self._state


def _handler(site: LiveSite) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        """GET and HEAD of the site's files (no listing, regular files only), and the
        reload channel under :data:`PREFIX`."""

        def translate_path(self, path: str) -> str:
            self.directory = os.path.realpath(site.folder)  # this request: one generation
            return super().translate_path(path)

        def send_head(self):
            url = urlsplit(self.path)
            if url.path.startswith(PREFIX):
                return self._channel(url.path[len(PREFIX) :], parse_qs(url.query))
            path = self.translate_path(self.path)
            if os.path.isdir(path):
                if not url.path.endswith("/"):
                    return super().send_head()  # the redirect to the folder's own URL
                path = os.path.join(path, "index.html")
            if not _regular_file(path):
                self.send_error(HTTPStatus.NOT_FOUND, "Not found")
                return None
            if path.endswith(".html"):
                return self._page(path)
            return super().send_head()

        def end_headers(self) -> None:
            self.send_header("Cache-Control", "no-store")  # a page is current only until a build
            super().end_headers()

        def list_directory(self, path):
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None

        def log_message(self, format, *args):
            pass  # the terminal is for the builds

        def _page(self, path: str):
            with open(path, "rb") as page:
                body = page.read(limits.LIVE_PAGE_BYTES + 1)
            if len(body) > limits.LIVE_PAGE_BYTES:
                return super().send_head()  # as it is, without reading it all here
            return self._send(_with_script(body, site.state), "text/html; charset=utf-8")

        def _channel(self, name: str, query: dict[str, list[str]]):
            if name == SCRIPT:
                script = files("spectrace").joinpath("templates", "serve", SCRIPT).read_bytes()
                return self._send(script, "text/javascript; charset=utf-8")
            if name == "build":
                after = _integer(query.get("after", [""])[0])
                if after is None:
                    self.send_error(HTTPStatus.BAD_REQUEST, "after: not a build number")
                    return None
                state = site.news(after) if self.command == "GET" else site.state
                return self._send(json.dumps(asdict(state)).encode(), "application/json")
            self.send_error(HTTPStatus.NOT_FOUND, "Not found")
            return None

        def _send(self, body: bytes, kind: str):
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return BytesIO(body)

    return Handler


def free_port(host: str, taken: int, tries: int = 20) -> int | None:
    """Return a port near ``taken`` that nothing listens on at ``host`` now, or None."""
    for port in range(taken + 1, min(taken + 1 + tries, 65536)):
        with contextlib.suppress(OSError), socket.socket() as probe:
            probe.bind((host, port))
            return port
    return None


def _with_script(page: bytes, state: BuildState) -> bytes:
    """Return ``page`` with the reload script before its ``</body>`` (or at its end)."""
    data = f'data-build="{state.build}" data-ok="{int(state.ok)}"'
    tag = f'<script src="{PREFIX}{SCRIPT}" {data}></script>'.encode()
    at = page.rfind(b"</body>")
    return page + tag if at < 0 else page[:at] + tag + page[at:]


def _integer(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) < 19 else None


def _regular_file(path: str) -> bool:
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


def changes(roots: Sequence[Path], ignore: Sequence[Path], stop: threading.Event) -> Iterator[int]:
    """Yield the number of files changed, added or removed under ``roots`` (except under
    ``ignore``, where the builds write), each time some are, and 0 every :data:`TICK_MS`
    without a change (so a change made before the watch began, or that the system did not
    report, is found by its digest), until ``stop`` is set."""
    from watchfiles import DefaultFilter, watch

    watched = [os.fspath(root) for root in _outermost(roots) if root.is_dir()]
    ignored = [os.fspath(path) for path in ignore]
    for batch in watch(
        *watched,
        watch_filter=DefaultFilter(ignore_paths=ignored),
        debounce=DEBOUNCE_MS,
        stop_event=stop,
        rust_timeout=TICK_MS,
        yield_on_timeout=True,
    ):
        yield len(batch)


def _outermost(paths: Sequence[Path]) -> list[Path]:
    """Return ``paths`` without those inside another of them."""
    kept: list[Path] = []
    for path in sorted({Path(os.path.abspath(p)) for p in paths}, key=lambda p: len(p.parts)):
        if not any(path == done or done in path.parents for done in kept):
            kept.append(path)
    return kept
