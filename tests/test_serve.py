"""`deckgen serve`: the deck served on 127.0.0.1, rebuilt on every save, the open page reloaded."""

from __future__ import annotations

import io
import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from helpers import PageInspector

import deckgen
from deckgen.cli import main
from deckgen.server import DeckServer
from deckgen.watch import snapshot

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
