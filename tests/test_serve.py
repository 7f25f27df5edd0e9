"""The live-preview server: it serves the current build's site as it is on disk, plus a script
that reloads a page when a newer build is in place, and nothing else."""

from __future__ import annotations

import http.client
import json
import os
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from spectrace import limits
from spectrace.serve import PREFIX, LiveSite, _outermost

PAGE = b"<!DOCTYPE html><html><body><p>Clause 5.1</p></body></html>"


@pytest.fixture
def site(tmp_path):
    """A site served from ``html``, a link to a generation folder (as builds leave it)."""
    generation = tmp_path / ".gen-1" / "html"
    (generation / "SMETS").mkdir(parents=True)
    (generation / "index.html").write_bytes(PAGE)
    (generation / "SMETS" / "section-05.html").write_bytes(PAGE.replace(b"5.1", b"5.2"))
    (generation / "style.css").write_text("p { color: black }", encoding="utf-8")
    (tmp_path / "html").symlink_to(generation)
    served = LiveSite(tmp_path / "html").start()
    yield served
    served.close()


def get(site: LiveSite, path: str, timeout: float = 10):
    try:
        with urllib.request.urlopen(site.url + path.lstrip("/"), timeout=timeout) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def raw_get(site: LiveSite, path: str) -> int:
    """The status of a GET of ``path`` sent exactly as given (no client-side clean-up)."""
    host, port = site.url.removeprefix("http://").rstrip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.endheaders()
    status = connection.getresponse().status
    connection.close()
    return status


def test_a_page_is_served_with_the_reload_script_before_its_end(site, tmp_path):
    status, body, headers = get(site, "/SMETS/section-05.html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    script = f'<script src="{PREFIX}live.js" data-build="0" data-ok="1"></script>'.encode()
    assert body == PAGE.replace(b"5.1", b"5.2").replace(b"</body>", script + b"</body>")
    assert b"live.js" not in (tmp_path / "html" / "SMETS" / "section-05.html").read_bytes()
    assert get(site, "/")[1].startswith(PAGE[:40])  # a folder's index page


def test_other_files_are_served_as_they_are(site):
    status, body, headers = get(site, "/style.css")
    assert status == 200 and body == b"p { color: black }"
    assert headers["Content-Type"] == "text/css" and headers["Cache-Control"] == "no-store"


def test_the_script_itself_is_served(site):
    status, body, headers = get(site, f"{PREFIX}live.js")
    assert status == 200 and b"/_spectrace/build?after=" in body
    assert headers["Content-Type"].startswith("text/javascript")


def test_each_request_reads_the_generation_the_link_points_to_then(site, tmp_path):
    newer = tmp_path / ".gen-2" / "html"
    newer.mkdir(parents=True)
    (newer / "index.html").write_bytes(PAGE.replace(b"5.1", b"9.9"))
    (tmp_path / "html-new").symlink_to(newer)
    os.replace(tmp_path / "html-new", tmp_path / "html")  # how a build switches
    assert b"Clause 9.9" in get(site, "/")[1]


@pytest.mark.parametrize(
    "path",
    ["/../.gen-1/html/index.html/../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/nope.html"],
)
def test_nothing_outside_the_site_is_served(site, path):
    assert raw_get(site, path) == 404


def test_folders_are_not_listed(site):
    assert get(site, "/SMETS/")[0] == 404


def test_a_fifo_in_the_site_is_refused_without_being_opened(site, tmp_path):
    os.mkfifo(tmp_path / "html" / "pipe.html")
    assert get(site, "/pipe.html", timeout=5)[0] == 404


def test_only_reading_is_allowed(site):
    request = urllib.request.Request(site.url, data=b"x", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 501


def test_news_of_a_build_comes_as_soon_as_it_ends(site):
    threading.Timer(0.3, site.announce, args=(True,)).start()
    began = time.monotonic()
    status, body, _ = get(site, f"{PREFIX}build?after=0")
    assert status == 200 and json.loads(body) == {"build": 1, "ok": True, "message": ""}
    assert time.monotonic() - began < 5
    assert json.loads(get(site, f"{PREFIX}build?after=0")[1])["build"] == 1  # at once


def test_a_failed_build_is_news_with_its_error_and_marks_the_pages(site):
    site.announce(False, "error: specs/x.rst: line 3: <b>bad</b>")
    state = json.loads(get(site, f"{PREFIX}build?after=0")[1])
    assert state == {"build": 1, "ok": False, "message": "error: specs/x.rst: line 3: <b>bad</b>"}
    assert b'data-build="1" data-ok="0"' in get(site, "/")[1]


def test_no_news_is_said_after_the_wait(site):
    assert site.news(after=0, timeout=0.2).build == 0


@pytest.mark.parametrize("after", ["", "x", "-1", "1" * 30])
def test_a_bad_build_number_is_refused(site, after):
    assert get(site, f"{PREFIX}build?after={after}")[0] == 400


def test_the_server_listens_on_this_machine_only_by_default(site):
    assert site.url.startswith("http://127.0.0.1:")


def test_watched_folders_inside_another_are_watched_once(tmp_path):
    inner = tmp_path / "specs" / "irps"
    roots = _outermost([tmp_path / "specs", inner, tmp_path, Path("/elsewhere")])
    assert roots == [Path("/elsewhere"), tmp_path]


def test_a_page_over_the_limit_is_sent_as_it_is(site, monkeypatch):
    monkeypatch.setattr(limits, "LIVE_PAGE_BYTES", len(PAGE) - 1)
    status, body, _ = get(site, "/index.html")
    assert status == 200 and body == PAGE
