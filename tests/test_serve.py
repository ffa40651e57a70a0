"""`deckgen serve`: the deck served on 127.0.0.1, rebuilt on every save, the open page reloaded."""

from __future__ import annotations

import io
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import PageInspector
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deckgen
from deckgen.assets import SetupError
from deckgen.cli import main
from deckgen.localhttp import is_loopback
from deckgen.server import DeckServer
from deckgen.watch import SETTLE_LIMIT_SECONDS, snapshot

TALK = Path("slides") / "10-example-talk.md"
WAIT = 10.0
"""Seconds a test waits for a rebuild before it fails (a rebuild takes a fraction of a second)."""


@pytest.fixture()
def deck(tmp_path: Path) -> Path:
    deckgen.new_deck(tmp_path / "deck", title="Live")
    return tmp_path / "deck"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=WAIT) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read().decode("utf-8")


class EventStream:
    """The page's side of `/_deckgen/events`: reads one server-sent event at a time."""

    def __init__(self, url: str) -> None:
        self.response = urllib.request.urlopen(url + "_deckgen/events", timeout=WAIT)

    def next_state(self) -> dict:
        event, data = None, None
        while True:
            line = self.response.readline().decode("utf-8")
            assert line, "the event stream ended"
            if line.startswith("event: "):
                event = line[7:].strip()
            elif line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and event == "state":
                return data

    def close(self) -> None:
        self.response.close()


def test_serves_the_deck_with_the_live_script_and_pushes_every_rebuild(deck: Path) -> None:
    out = io.StringIO()
    with DeckServer(deck, out=out, err=io.StringIO()) as server:
        assert server.url.startswith("http://127.0.0.1:")
        status, kind, html = get(server.url)
        assert status == 200 and kind.startswith("text/html")
        page = PageInspector(html)
        assert page.scripts[-1] == "_deckgen/live.js"
        assert get(server.url + "_deckgen/live.js")[1].startswith("text/javascript")
        assert get(server.url + "_deckgen/reveal/reveal.js")[0] == 200
        events = EventStream(server.url)
        try:
            first = events.next_state()
            assert first["ok"] and first["problems"] == [] and first["build"] == server.state.build
            edit(deck / TALK, "What the talk was about", "Edited while serving")
            second = events.next_state()
            assert second["ok"] and second["build"] != first["build"]
            assert "Edited while serving" in get(server.url)[2]
            edit(deck / TALK, "track: keynotes", "track: keynote")
            broken = events.next_state()
            assert not broken["ok"] and broken["build"] == second["build"]  # the last good deck stays served
            assert [p["text"] for p in broken["problems"]] == [
                "slides/10-example-talk.md:7:8: error: unknown track 'keynote' (did you mean 'keynotes'?) [deckgen.unknown-track]"
            ]
            assert "Edited while serving" in get(server.url)[2]
            edit(deck / TALK, "track: keynote\n", "track: keynotes\n")
            fixed = events.next_state()
            assert fixed["ok"] and fixed["problems"] == [] and fixed["build"] not in (first["build"], second["build"])
        finally:
            events.close()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("built in ") and lines[0].endswith(" ms (9 slides, 0 warnings)")
    assert lines[1].startswith("rebuilt in ") and "(slides/10-example-talk.md changed; 9 slides, 0 warnings)" in lines[1]
    assert lines[2].startswith("rebuild failed in ") and "1 error; serving the last good build" in lines[2]
    assert lines[3].startswith("rebuilt in ")
    assert len(lines) == 4


def test_a_deck_that_never_built_shows_a_waiting_page_until_it_does(deck: Path) -> None:
    edit(deck / "deck.yaml", 'title: "Live"', "title:")
    err = io.StringIO()
    with DeckServer(deck, out=io.StringIO(), err=err) as server:
        state = server.state
        assert not state.ok and state.build == ""
        assert "deck.yaml" in err.getvalue() and "[deckgen.missing-key]" in err.getvalue()
        html = get(server.url)[2]
        assert "waiting for a good build" in html and PageInspector(html).scripts == ["_deckgen/live.js"]
        edit(deck / "deck.yaml", "title:\n", "title: Back\n")
        assert server.next_state(state.version, WAIT).ok
        assert "<title>Back</title>" in get(server.url)[2]


def test_output_folders_and_hidden_files_do_not_trigger_rebuilds(deck: Path) -> None:
    (deck / "_site").mkdir()
    before = snapshot([deck])
    with DeckServer(deck, out=io.StringIO()) as server:
        version = server.state.version
        (deck / "_site" / "index.html").write_text("an old build", encoding="utf-8")
        (deck / ".notes.swp").write_text("editor swap file", encoding="utf-8")
        (deck / ".git").mkdir()
        (deck / ".git" / "HEAD").write_text("ref", encoding="utf-8")
        assert server.next_state(version, 1.0).version == version  # a second: five polls, no rebuild
        (deck / "slides" / "20-new.md").write_text("# A new file\n", encoding="utf-8")
        assert server.next_state(version, WAIT).version == version + 1
    assert snapshot([deck]).keys() - before.keys() == {str(deck / "slides" / "20-new.md")}


def test_a_theme_outside_the_deck_is_watched_too(deck: Path, tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "ours"
    theme.mkdir(parents=True)
    (theme / "theme.css").write_text(".reveal { color: black; }\n", encoding="utf-8")
    edit(deck / "deck.yaml", "theme: default", "theme: ../themes/ours")
    with DeckServer(deck, out=io.StringIO()) as server:
        version = server.state.version
        (theme / "theme.css").write_text(".reveal { color: navy; }\n", encoding="utf-8")
        assert server.next_state(version, WAIT).ok
        assert "navy" in get(server.url + "_deckgen/themes/local/theme.css")[2]


def test_normal_builds_carry_no_live_reload(deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(deck, tmp_path / "out")
    assert "_deckgen/live.js" not in PageInspector(result.index.read_text(encoding="utf-8")).scripts
    assert not list((tmp_path / "out").rglob("live*"))


def test_ctrl_c_stops_cleanly(deck: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "deckgen", "serve", str(deck), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("built in ")
        serving = process.stdout.readline()
        assert serving.startswith(f"serving {deck} at http://127.0.0.1:")
        url = serving.split(" at ")[1].split()[0]
        assert get(url)[0] == 200
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert out == "stopped\n"
    assert "Traceback" not in err and err == ""


def _serve_in(deck: Path, scratch: Path) -> tuple[subprocess.Popen[str], str]:
    """`deckgen serve` with `scratch` as its temporary folder, once it serves, and its address."""
    process = subprocess.Popen(
        [sys.executable, "-m", "deckgen", "serve", str(deck), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith("built in ")
    serving = process.stdout.readline()
    assert serving.startswith("serving ")
    return process, serving.split(" at ")[1].split()[0]


def test_a_serve_killed_outright_leaves_nothing_for_long(deck: Path, tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    processes = []
    try:
        killed, _ = _serve_in(deck, scratch)
        processes.append(killed)
        killed.kill()  # SIGKILL: it cannot clean up
        killed.wait()
        [left] = scratch.iterdir()
        assert left.name.startswith(f"deckgen-serve-{killed.pid}-")
        running, _ = _serve_in(deck, scratch)  # removes what the killed one left
        processes.append(running)
        [own] = scratch.iterdir()
        assert own.name.startswith(f"deckgen-serve-{running.pid}-")
        other, _ = _serve_in(deck, scratch)  # ...and never a running serve's folder
        processes.append(other)
        assert {path.name.split("-")[2] for path in scratch.iterdir()} == {str(running.pid), str(other.pid)}
        for process in (running, other):
            process.send_signal(signal.SIGTERM)
            process.communicate(timeout=WAIT)
        assert list(scratch.iterdir()) == []
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_port_in_use_and_missing_deck_are_clear_errors(deck: Path, tmp_path: Path, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", str(deck), "--port", str(port)]) == 1
    err = capsys.readouterr().err
    assert f"deckgen: error: cannot listen on 127.0.0.1:{port}" in err and "--port" in err and "Traceback" not in err
    assert main(["serve", str(tmp_path / "nope"), "--port", "0"]) == 1
    assert "not a deck folder" in capsys.readouterr().err


@pytest.mark.browser
def test_the_open_page_reloads_on_save_and_shows_errors_over_the_deck(deck: Path, chromium_path: str) -> None:
    from browser.deckbrowser import VIEWPORT, launch_chromium
    from playwright.sync_api import sync_playwright

    def watch_the_page(server: DeckServer) -> float:
        """Open the served deck, save files behind its back, see what it shows; return the reload time."""
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium_path)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                page.set_default_timeout(WAIT * 1000)
                page.goto(server.url + "#/4")  # the example talk's first slide
                page.wait_for_function("() => window.Reveal && Reveal.isReady()")
                current = page.locator(".reveal .slides section.present")
                assert "What the talk was about" in current.last.inner_text()
                page.evaluate("window.deckgenTestMarker = 'before the save'")

                saved = time.monotonic()
                edit(deck / TALK, "What the talk was about", "Seen without touching the browser")
                page.locator("section.present h2", has_text="Seen without touching the browser").wait_for()
                reload_seconds = time.monotonic() - saved
                assert page.evaluate("window.deckgenTestMarker") is None  # a new page, not the old one
                assert page.evaluate("Reveal.getIndices().h") == 4  # on the same slide

                edit(deck / TALK, "track: keynotes", "track: '<img src=x onerror=alert(1)>'")
                overlay = page.locator("#deckgen-problems")
                overlay.wait_for()
                text = overlay.inner_text()
                assert "slides/10-example-talk.md:7:8: error: unknown track '<img src=x onerror=alert(1)>'" in text
                assert "[deckgen.unknown-track]" in text
                assert overlay.locator("img").count() == 0  # the message is text, never HTML

                edit(deck / TALK, "track: '<img src=x onerror=alert(1)>'", "track: keynotes")
                overlay.wait_for(state="detached")
                page.locator("section.present h2", has_text="Seen without touching the browser").wait_for()
                return reload_seconds
            finally:
                browser.close()

    # Playwright's sync API refuses a thread where another Playwright runs (the browser tests' one)
    with DeckServer(deck, out=io.StringIO(), err=io.StringIO()) as server, ThreadPoolExecutor(max_workers=1) as pool:
        reload_seconds = pool.submit(watch_the_page, server).result()
    assert reload_seconds < 3, f"the page took {reload_seconds:.1f} s to show the save"


# --- failures at start-up: shown or ended, never a hang; the port and the temporary folder always freed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_is_free(port: int) -> bool:
    """Whether a server could listen on `port` (as serve does, past connections that linger in TIME_WAIT)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def set_deck_key(deck: Path, key: str, value: str) -> None:
    """Set a top-level key of deck.yaml to `value` (YAML text), replacing the key's line if there is one."""
    lines = [line for line in (deck / "deck.yaml").read_text(encoding="utf-8").splitlines() if not line.startswith(f"{key}:")]
    (deck / "deck.yaml").write_text("\n".join([*lines, f"{key}: {value}"]) + "\n", encoding="utf-8")


def wait_for_output(path: Path, prefix: str, process: subprocess.Popen[bytes]) -> str:
    """The first line of `path` that starts with `prefix`, written by `process` within WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(prefix):
                return line
        if process.poll() is not None:
            pytest.fail(f"serve ended ({process.returncode}) without printing {prefix!r}")
        time.sleep(0.05)
    pytest.fail(f"serve printed no {prefix!r} within {WAIT:g} s: it hangs")


@pytest.mark.parametrize(
    ("key", "value"),
    [("theme", '"themes/a\\0b"'), ("theme", "x" * 300), ("subtitle", "[" * 5000 + "]" * 5000), ("tracks", "&a [*a, *a]")],
    ids=["nul-in-theme-path", "theme-path-too-long", "deeply-nested-yaml", "yaml-alias"],
)
def test_a_deck_error_in_the_first_build_is_shown_and_ctrl_c_frees_everything(deck: Path, tmp_path: Path, key: str, value: str) -> None:
    set_deck_key(deck, key, value)
    temp = tmp_path / "tmp"
    temp.mkdir()
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with out.open("wb") as out_file, err.open("wb") as err_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "deckgen", "serve", str(deck), "--port", "0"],
            stdout=out_file,
            stderr=err_file,
            env={**os.environ, "TMPDIR": str(temp)},
        )
    try:
        url = wait_for_output(out, "serving ", process).split(" at ")[1].split()[0]
        assert wait_for_output(out, "build failed in ", process)
        assert "deck.yaml:" in err.read_text(encoding="utf-8") and ": error: " in err.read_text(encoding="utf-8")
        assert "waiting for a good build" in get(url)[2]  # the page's live.js shows the problems over it
        process.send_signal(signal.SIGINT)
        process.wait(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0
    assert "Traceback" not in err.read_text(encoding="utf-8")
    assert port_is_free(int(url.rstrip("/").rsplit(":", 1)[1]))
    assert list(temp.iterdir()) == []


def _raise(exc: BaseException) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise exc

    return fail


@pytest.mark.parametrize(
    ("target", "exc", "code", "message"),
    [
        ("deckgen.server.snapshot", RuntimeError("a bug while starting"), 3, "deckgen: internal error: RuntimeError: a bug while starting"),
        ("deckgen.builder.build_variant", SetupError("reveal.js is not installed"), 1, "deckgen: error: reveal.js is not installed"),
        ("deckgen.builder.build_variant", KeyboardInterrupt(), 0, ""),  # Ctrl-C during the first build
    ],
    ids=["bug", "setup-error", "ctrl-c"],
)
def test_what_stops_the_start_ends_serve_and_frees_the_port_and_the_folder(
    deck: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    target: str,
    exc: BaseException,
    code: int,
    message: str,
) -> None:
    monkeypatch.setattr(target, _raise(exc))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    port = free_port()
    codes: list[int] = []
    runner = threading.Thread(target=lambda: codes.append(main(["serve", str(deck), "--port", str(port)])), daemon=True)
    runner.start()
    runner.join(WAIT)
    assert not runner.is_alive(), "serve hangs"
    assert codes == [code]
    assert message in capsys.readouterr().err
    assert port_is_free(port)
    assert not list(tmp_path.glob("deckgen-serve-*"))


def test_a_deck_that_never_settles_is_still_rebuilt(deck: Path) -> None:
    """A file rewritten every few milliseconds (a log, a generator) never lets the files settle: builds go on.

    Each rebuild comes within a bounded time of the previous one: the settling wait has a limit
    (`SETTLE_LIMIT_SECONDS`), to which a build's own time is added (generously: the machine is shared).
    """
    churning = deck / "slides" / "20-churn.md"
    stop = threading.Event()

    def churn() -> None:
        count = 0
        while not stop.wait(0.01):
            count += 1
            churning.with_suffix(".tmp").write_text(f"## Churned {count}\n", encoding="utf-8")
            os.replace(churning.with_suffix(".tmp"), churning)

    bound = SETTLE_LIMIT_SECONDS + 3.0
    writer = threading.Thread(target=churn, daemon=True)
    states = []
    with DeckServer(deck, out=io.StringIO()) as server:
        version = server.state.version
        writer.start()
        try:
            for _ in range(3):
                state = server.next_state(version, bound)
                assert state is not None and state.version == version + 1, f"no rebuild within {bound:g} s"
                states.append(state)
                version = state.version
        finally:
            stop.set()
            writer.join()
    assert all(state.ok for state in states)


# --- what the server answers


def raw_request(port: int, request: bytes) -> tuple[int, bytes]:
    """Send `request` as is to 127.0.0.1; return the status code (0 for an empty answer) and the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    words = answer.split(b"\r\n", 1)[0].split()
    return (int(words[1]) if len(words) > 1 else 0), answer


REFUSED_HOSTS = (
    "evil.example",
    "evil.example:{port}",
    "127.0.0.1.evil.example:{port}",
    "localhost.evil.example",
    "localhost:{port}@evil.example",
    "0.0.0.0:{port}",
    "192.168.1.2:{port}",
    "[::1",
    "",
)
ACCEPTED_HOSTS = (
    "127.0.0.1:{port}",
    "localhost:{port}",
    "LocalHost",
    "localhost.:{port}",
    "deck.localhost:{port}",
    "127.0.0.2",
    "[::1]:{port}",
)


def test_on_loopback_only_requests_for_this_machine_are_answered(deck: Path) -> None:
    with DeckServer(deck, out=io.StringIO(), err=io.StringIO()) as server:
        port = server.port
        for host in REFUSED_HOSTS:
            for method, path in (("GET", "/"), ("HEAD", "/index.html"), ("GET", "/_deckgen/events"), ("GET", "/_deckgen/live.js")):
                header = f"Host: {host.format(port=port)}\r\n"
                status, answer = raw_request(port, f"{method} {path} HTTP/1.1\r\n{header}\r\n".encode())
                assert status == 403, (host, method, path, answer[:200])
                assert b"<section" not in answer and b"event: state" not in answer
        assert raw_request(port, b"GET / HTTP/1.0\r\n\r\n")[0] == 403  # no Host at all
        assert raw_request(port, f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n".encode())[0] == 403
        for host in ACCEPTED_HOSTS:
            status, answer = raw_request(port, f"GET / HTTP/1.1\r\nHost: {host.format(port=port)}\r\n\r\n".encode())
            assert status == 200 and b"_deckgen/live.js" in answer, host


def test_a_host_name_given_to_listen_on_is_answered(deck: Path) -> None:
    """`--host NAME` where NAME is this machine's loopback name: the page opened at http://NAME:PORT/ is answered."""
    name = socket.gethostname()
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(name, 0, type=socket.SOCK_STREAM)}
    except OSError:
        pytest.skip(f"this machine's name {name!r} does not resolve")
    if not addresses or not all(is_loopback(address) for address in addresses):
        pytest.skip(f"this machine's name {name!r} does not lead to a loopback address here")
    with DeckServer(deck, host=name, out=io.StringIO(), err=io.StringIO()) as server:
        assert raw_request(server.port, f"GET / HTTP/1.1\r\nHost: {name}:{server.port}\r\n\r\n".encode())[0] == 200
        assert raw_request(server.port, f"GET / HTTP/1.1\r\nHost: {name.upper()}.\r\n\r\n".encode())[0] == 200
        assert raw_request(server.port, b"GET / HTTP/1.1\r\nHost: evil.example\r\n\r\n")[0] == 403


def test_serving_the_network_warns_and_answers_any_host(deck: Path) -> None:
    err = io.StringIO()
    with DeckServer(deck, host="0.0.0.0", out=io.StringIO(), err=err) as server:
        assert raw_request(server.port, b"GET / HTTP/1.1\r\nHost: deck.example:8000\r\n\r\n")[0] == 200
    assert err.getvalue().startswith("warning: listening on 0.0.0.0: the deck")
    assert "visible to any machine on the network" in err.getvalue()
    local = io.StringIO()
    with DeckServer(deck, out=io.StringIO(), err=local):
        pass
    assert "warning" not in local.getvalue()


ODD_TARGETS = (
    "/%00",
    "/index.html%00.png",
    "/_deckgen/live.js%00",
    "/\x00",
    "/%ff",
    "/%ed%a0%80",
    "/%c0%af",
    "/%",
    "/%zz",
    "/..%2f..%2fetc%2fpasswd",
    "/../../etc/passwd",
    "//etc/passwd",
    "/%2e%2e/%2e%2e/",
    "/index.html/",
    "/" + "a" * 5000,
    "/?x=%00",
    "*",
    "http://evil.example/",
    "/\x7f\x01",
)


def test_odd_paths_are_answered_400_or_404_without_a_traceback(deck: Path, capfd: pytest.CaptureFixture[str]) -> None:
    err = io.StringIO()
    with DeckServer(deck, out=io.StringIO(), err=err) as server:

        def ask(target: bytes) -> int:
            status, answer = raw_request(server.port, b"GET " + target + b" HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert status in (200, 301, 400, 404), (target, answer[:200])
            return status

        assert [ask(target.encode("latin-1")) for target in ODD_TARGETS[:7]] == [400] * 7
        for target in ODD_TARGETS[7:]:
            ask(target.encode("latin-1"))

        pieces = st.sampled_from(["%00", "%ff", "%2f", "%2e", "..", "/", "%", "\x00", "\xff", "index.html", "_deckgen", "?"])
        escaped_bytes = st.binary(max_size=3).map(lambda raw: "".join(f"%{byte:02x}" for byte in raw))

        @settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
        @given(st.lists(pieces | escaped_bytes, max_size=8))
        def ask_fuzzed(parts: list[str]) -> None:
            ask(("/" + "".join(parts)).encode("latin-1"))

        ask_fuzzed()
    assert err.getvalue() == ""
    assert "Traceback" not in capfd.readouterr().err


def test_a_burst_of_200_connections_is_taken_at_once(deck: Path) -> None:
    """All are accepted by the kernel at once (a full listen queue drops them: the client retries a second later)."""
    with DeckServer(deck, out=io.StringIO(), err=io.StringIO()) as server:
        conns = [socket.socket() for _ in range(200)]
        try:
            started = time.monotonic()
            for conn in conns:
                conn.setblocking(False)
                conn.connect_ex(("127.0.0.1", server.port))
            pending = set(conns)
            while pending and time.monotonic() - started < 0.9:
                pending -= set(select.select([], list(pending), [], 0.05)[1])
            assert not pending, f"{len(pending)} of 200 connections not taken in 0.9 s"
            for conn in conns:
                conn.setblocking(True)
                conn.settimeout(WAIT)
                conn.sendall(b"GET /_deckgen/live.js HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert all(conn.recv(64).startswith(b"HTTP/1.0 200 ") for conn in conns)
        finally:
            for conn in conns:
                conn.close()


@pytest.mark.parametrize("gap", [0.05, 0.15])
def test_a_second_ctrl_c_while_stopping_still_cleans_up(deck: Path, tmp_path: Path, gap: float) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    process, url = _serve_in(deck, temp)
    try:
        process.send_signal(signal.SIGINT)
        time.sleep(gap)  # while it stops: the serving loop ends within a poll
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=WAIT)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode in (0, 130) and "Traceback" not in err
    assert port_is_free(int(url.rstrip("/").rsplit(":", 1)[1]))
    assert list(temp.iterdir()) == []
