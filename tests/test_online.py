"""`check --online` against a local HTTP server on 127.0.0.1 that answers 200, 301, 404 and never."""

from __future__ import annotations

import json
import os
import shutil
import socket
import socketserver
import subprocess
import sys
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
        if self.path in ("/ok", "/instal%C2%B7laci%C3%B3?q=caf%C3%A8"):
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


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda entry: {**entry, "status": 200}, id="a dead link's status changed to 200"),
        pytest.param(lambda entry: {**entry, "status": "404"}, id="a status as text"),
        pytest.param(lambda entry: {**entry, "checked": "yesterday"}, id="a time as text"),
        pytest.param(lambda entry: {**entry, "status": [404]}, id="a status as a list"),
        pytest.param(lambda entry: "404", id="an entry that is no object"),
        pytest.param(lambda entry: {**entry, "surprise": 1}, id="a field no deckgen wrote"),
    ],
)
def test_a_damaged_cached_answer_is_asked_again(deck: Path, server: str, tmp_path: Path, capsys, damage) -> None:
    """Every cached answer is checked against a digest written with it: a damaged one is a miss, never a wrong answer or a crash."""
    deckgen.check(deck, online=True, timeout=1)
    cache_file = tmp_path / "cache" / "online-links.json"
    entries = json.loads(cache_file.read_text())
    gone = f"{server}/gone"
    entries[gone] = damage(entries[gone])
    cache_file.write_text(json.dumps(entries))
    asked = len(_Handler.hits)
    code = main(["check", str(deck), "--online", "--timeout", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert f"deck.yaml:4:5: error: '{gone}' answered 404 [deckgen.dead-link]" in err.splitlines()
    assert "/gone" in _Handler.hits[asked:]
    assert "internal error" not in err


def test_plain_check_never_asks(deck: Path) -> None:
    deckgen.check(deck)
    deckgen.build(deck, deck.parent / "out")
    assert _Handler.hits == []


# --- servers that misbehave: each failure is its link's problem, and the check goes on


class _Misbehaving(socketserver.StreamRequestHandler):
    """Reads a request line, then answers as its path says: every way an HTTP server can be broken."""

    def handle(self) -> None:
        if self.request.recv(1, socket.MSG_PEEK) == b"\x16":  # a TLS handshake: answer it in plain HTTP
            self.wfile.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return
        words = self.rfile.readline(65536).split()
        path = words[1].decode("latin-1") if len(words) > 1 else ""
        while self.rfile.readline(65536).strip():  # the request's headers
            pass
        answers: dict[str, bytes] = {
            "/ok": b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
            "/gone": b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n",
            "/not-http": b"SSH-2.0-OpenSSH_9.6\r\n",
            "/binary": bytes(range(256)) * 4,
            "/long-header": b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\n",
            "/many-headers": b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\n",
            "/bad-status": b"HTTP/1.1 abc Nope\r\n\r\n",
            "/truncated": b"HTTP/1.1 20",
            "/closed": b"",
            "/redirect-nowhere": b"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n",
        }
        if path == "/drip-headers":  # a whole header line every 0.3 s, never the blank line that ends them
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\n")
                for index in range(60):
                    self.wfile.write(b"X-Slow-%d: v\r\n" % index)
                    self.wfile.flush()
                    time.sleep(0.3)
            except OSError:
                pass  # the client gave up
            return
        if path == "/drip":
            for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n"[:20]:  # one byte every 0.8 s, for 16 s
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:
                    return  # the client gave up
                time.sleep(0.8)
            return
        self.wfile.write(answers.get(path, answers["/gone"]))


@pytest.fixture()
def broken_server() -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Misbehaving)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


BROKEN = ("/not-http", "/binary", "/long-header", "/many-headers", "/bad-status", "/truncated", "/closed")


def test_a_broken_server_is_each_links_own_error(tmp_path: Path, broken_server: str, monkeypatch, capsys) -> None:
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    paths = ("/ok", *BROKEN, "/drip", "/gone")
    urls = [f"http://{broken_server}{path}" for path in paths] + [f"https://{broken_server}/tls-to-plain-http"]
    deck = write_deck(tmp_path / "deck", "title: T\nlinks:\n" + "".join(f"  - {url}\n" for url in urls), {"slides/1.md": "# x\n"})
    started = time.perf_counter()
    code = main(["check", str(deck), "--online", "--timeout", "2", "--no-cache"])
    elapsed = time.perf_counter() - started
    err = capsys.readouterr().err.splitlines()
    line_of = {url: 3 + index for index, url in enumerate(urls)}
    assert code == 1
    reported = {url: line for url in urls for line in err if f"'{url}'" in line}
    assert f"http://{broken_server}/ok" not in reported
    for url in urls[1:]:
        assert url in reported, f"{url} not reported: {err}"
        assert reported[url].startswith(f"deck.yaml:{line_of[url]}:5: ")
    for path in BROKEN:
        line = reported[f"http://{broken_server}{path}"]
        assert ": error: " in line and line.endswith("[deckgen.unreachable-link]")
    assert reported[f"https://{broken_server}/tls-to-plain-http"].endswith("[deckgen.unreachable-link]")
    assert reported[f"http://{broken_server}/gone"].endswith("answered 404 [deckgen.dead-link]")
    assert reported[f"http://{broken_server}/drip"].endswith("did not answer within 2 s [deckgen.link-timeout]")
    assert not any("Traceback" in line or "internal error" in line for line in err)
    assert elapsed < 4.5, f"the check took {elapsed:.1f} s with --timeout 2: the timeout is a deadline for each link"


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_the_timeout_is_a_deadline_for_each_whole_link(tmp_path: Path, broken_server: str, monkeypatch, path: str) -> None:
    """A server that drips its answer (a byte, or a header line, at a time, each within the socket's
    timeout) is cut off at the deadline, and the headers it had sent by then are no answer."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    deck = write_deck(tmp_path / "deck", f"title: T\nurl: http://{broken_server}{path}\n", {"slides/1.md": "# x\n"})
    started = time.perf_counter()
    problems = deckgen.check(deck, online=True, timeout=1)
    elapsed = time.perf_counter() - started
    assert [(p.line, p.code) for p in problems] == [(2, "link-timeout")]
    assert elapsed < 3, f"one link took {elapsed:.1f} s with a timeout of 1 s"


# --- no network: one message, not one error per link


def _without_network() -> list[str]:
    """The command prefix that runs a program in a network namespace of its own (only a loopback, down)."""
    unshare = shutil.which("unshare")
    if unshare is None or subprocess.run([unshare, "-rn", "true"], capture_output=True).returncode != 0:
        pytest.skip("cannot make a network namespace here (unshare -rn): no machine without network to try")
    return [unshare, "-rn"]


@pytest.mark.parametrize(
    ("links", "message"),
    [
        (("https://recap.example.org/", "https://videos.example.com/a", "https://talks.example.net/b"), "could not resolve any host"),
        (("https://docs.example.org/guia/instal·lació", "https://cafè.example.com/"), "could not resolve any host"),
        (("http://192.0.2.1/", "http://[2001:db8::1]/", "http://127.0.0.1:9/"), "no route to any host"),
    ],
    ids=["host-names", "beyond-ascii", "addresses"],
)
def test_no_network_at_all_is_one_message(tmp_path: Path, links: tuple[str, ...], message: str) -> None:
    """Run in a real network namespace: no name server, no route, not even a loopback that is up."""
    deck = write_deck(tmp_path / "deck", "title: T\nlinks:\n" + "".join(f"  - {url}\n" for url in links), {"slides/1.md": "# x\n"})
    run = subprocess.run(
        [*_without_network(), sys.executable, "-m", "deckgen", "check", str(deck), "--online", "--timeout", "3"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert (run.returncode, run.stderr, run.stdout) == (1, f"deckgen: error: no network: {message}\n", "")


def test_every_host_failing_to_resolve_reads_as_no_network(tmp_path: Path, monkeypatch, capsys) -> None:
    """`.invalid` names never resolve (RFC 6761), network or not: the real resolver says so for each."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    yaml = "title: T\nurl: https://recap.invalid/\nlinks:\n  - https://videos.invalid/a\n"
    deck = write_deck(tmp_path / "deck", yaml, {"slides/1.md": "# x\n"})
    assert main(["check", str(deck), "--online", "--timeout", "3"]) == 1
    assert capsys.readouterr().err == "deckgen: error: no network: could not resolve any host\n"
    with pytest.raises(deckgen.DeckgenError, match=r"^no network: could not resolve any host$"):
        deckgen.check(deck, online=True, timeout=3)


def test_one_dead_host_among_live_ones_is_that_links_error(deck: Path, server: str, capsys) -> None:
    yaml = (deck / "deck.yaml").read_text(encoding="utf-8")
    (deck / "deck.yaml").write_text(yaml + "  - https://talks.invalid/gone\n", encoding="utf-8")
    assert main(["check", str(deck), "--online", "--timeout", "1"]) == 1
    err = capsys.readouterr().err
    assert "no network" not in err
    assert "deck.yaml:5:5: error: 'https://talks.invalid/gone' cannot be reached: cannot look up talks.invalid: " in err
    assert f"deck.yaml:4:5: error: '{server}/gone' answered 404 [deckgen.dead-link]" in err
    assert f"slides/1.md:4:8: warning: '{server}/moved' redirects (301) to '/ok'" in err


def test_a_link_with_letters_beyond_ascii_is_asked_as_a_browser_asks_it(tmp_path: Path, server: str, monkeypatch) -> None:
    """A Catalan path and query go percent-encoded as UTF-8 (http.client refuses them as written)."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    deck = write_deck(tmp_path / "deck", f"title: T\nlinks:\n  - {server}/instal·lació?q=cafè\n", {"slides/1.md": "# x\n"})
    assert deckgen.check(deck, online=True, timeout=3) == ()
    assert _Handler.hits == ["/instal%C2%B7laci%C3%B3?q=caf%C3%A8"]


@pytest.mark.parametrize("value", ["0", "-1", "inf", "nan", "1e308", "soon"])
def test_a_timeout_that_is_no_time_limit_is_a_usage_error(deck: Path, value: str, capsys) -> None:
    assert main(["check", str(deck), "--online", f"--timeout={value}"]) == 2
    assert f"argument --timeout: '{value}' is not a number of seconds above 0" in capsys.readouterr().err
    assert _Handler.hits == []


def test_a_new_dead_host_among_cached_answers_is_its_links_error(tmp_path: Path, server: str, monkeypatch, capsys) -> None:
    """The only link asked fails to resolve, the others answered yesterday: a cached host still resolves, so the network is there."""
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    deck = write_deck(tmp_path / "deck", f"title: T\nurl: {server}/ok\nlinks:\n  - {server}/gone\n", {"slides/1.md": "# x\n"})
    assert [p.code for p in deckgen.check(deck, online=True, timeout=2)] == ["dead-link"]
    (deck / "deck.yaml").write_text(f"title: T\nurl: {server}/ok\nlinks:\n  - {server}/gone\n  - https://new.invalid/\n", encoding="utf-8")
    asked = len(_Handler.hits)
    assert main(["check", str(deck), "--online", "--timeout", "2"]) == 1
    assert len(_Handler.hits) == asked  # the local links came from the cache
    err = capsys.readouterr().err
    assert "no network" not in err and "deck.yaml:5:5: error: 'https://new.invalid/' cannot be reached: cannot look up new.invalid" in err


def test_a_redirect_that_names_no_place_says_so(tmp_path: Path, broken_server: str, monkeypatch) -> None:
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "cache"))
    deck = write_deck(tmp_path / "deck", f"title: T\nurl: http://{broken_server}/redirect-nowhere\n", {"slides/1.md": "# x\n"})
    [problem] = deckgen.check(deck, online=True, timeout=2)
    assert problem.code == "redirected-link"
    assert problem.message.endswith("redirects (302) without saying where (no Location header)")
