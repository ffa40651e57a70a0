"""`check --online` against a local HTTP server on 127.0.0.1 that answers 200, 301, 404 and never."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen.cli import main


class _Handler(BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _answer(self) -> None:
        type(self).hits.append(self.path)
        if self.path == "/ok":
            self.send_response(200)
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path == "/no-head":
            self.send_response(405 if self.command == "HEAD" else 200)
        elif self.path == "/never":
            time.sleep(3)  # longer than the check's timeout: "never" answers
            return
        else:
            self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_HEAD = _answer
    do_GET = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    _Handler.hits = []
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture()
def deck(tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    return write_deck(
        tmp_path / "deck",
        f"title: T\nurl: {server}/ok\nlinks:\n  - {server}/gone\n",
        {
            "slides/1.md": talk("A", "x", f"{server}/moved"),
            "slides/2.md": talk("B", "x", f"{server}/never", links=f"[{server}/no-head]"),
        },
    )


def test_online_check_reports_each_answer(deck: Path, server: str, capsys: pytest.CaptureFixture[str]) -> None:
    started = time.perf_counter()
    code = main(["check", str(deck), "--online", "--timeout", "1"])
    elapsed = time.perf_counter() - started
    err = capsys.readouterr().err.splitlines()
    assert code == 1  # the 404 is an error
    assert err == [
        f"deck.yaml:4:5: error: '{server}/gone' answered 404 [deckgen.dead-link]",
        f"slides/1.md:4:8: warning: '{server}/moved' redirects (301) to '/ok' [deckgen.redirected-link]",
        f"slides/2.md:4:8: warning: '{server}/never' did not answer within 1 s [deckgen.link-timeout]",
    ]
    assert elapsed < 2.5, "links are asked concurrently, each with its timeout"


def test_answers_are_cached_for_a_day(deck: Path, server: str) -> None:
    deckgen.check(deck, online=True, timeout=1)
    asked = len(_Handler.hits)
    problems = deckgen.check(deck, online=True, timeout=1)
    # only the link that timed out is asked again
    assert [h for h in _Handler.hits[asked:] if h != "/never"] == []
    assert {p.code for p in problems} == {"dead-link", "redirected-link", "link-timeout"}
    deckgen.check(deck, online=True, timeout=1, use_cache=False)
    assert "/ok" in _Handler.hits[asked:]


def test_corrupt_cache_is_ignored(deck: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / "online-links.json").write_text("{not json")
    assert {p.code for p in deckgen.check(deck, online=True, timeout=1)} == {"dead-link", "redirected-link", "link-timeout"}


def test_plain_check_never_asks(deck: Path) -> None:
    deckgen.check(deck)
    deckgen.build(deck, deck.parent / "out")
    assert _Handler.hits == []
