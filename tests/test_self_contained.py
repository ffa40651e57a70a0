"""`deckgen build --self-contained`: one index.html that presents alone, with nothing fetched."""

from __future__ import annotations

import base64
import io
import shutil
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TypeVar

import pytest
from helpers import page_as_shown, talk, write_deck

import deckgen
from deckgen.cli import main
from deckgen.inline import script_markup, style_markup


def png(colour: tuple[int, int, int], size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


T = TypeVar("T")
RED = png((200, 30, 30))
BLUE = png((30, 30, 200), (8, 8))

OFFLINE_BODY = """\
# Hello offline

![red square](../images/red.png)

```python
print("highlighted")
```
"""

ONLINE_BODY = """\
---

## What stays online

![remote](https://example.com/remote.png)

[the slides](../images/red.png)

<iframe src="https://example.com/embed"></iframe>

Note: notes with ![remote too](https://example.com/notes.png)
"""


def write_offline_deck(root: Path, talk_body: str, theme_extra: str = "") -> Path:
    """Two talks with local images, and a theme with a background image and a font."""
    return write_deck(
        root,
        "title: Offline\nurl: https://example.com/deck\ntheme: mytheme\ntracks: [main]\nlinks: [https://example.com/more]\n",
        {
            "slides/1-talk.md": talk("Talk one", "main", "https://example.com/v1", body=talk_body),
            "slides/2-talk.md": talk("Talk two", "main", "https://example.com/v2", body="# Second\n\n![again](../images/red.png)\n"),
            "images/red.png": RED,
            "mytheme/bg.png": BLUE,
            "mytheme/fonts/deck.woff2": b"wOF2 not a real font",
            "mytheme/theme.css": (
                '.reveal .dg-main { background-image: url("bg.png"); }\n'
                "@font-face { font-family: DeckFont; src: url(fonts/deck.woff2) format('woff2'); }\n"
                "/* a </style> in a comment must not end the element */\n" + theme_extra
            ),
        },
    )


@pytest.fixture()
def offline_deck(tmp_path: Path) -> Path:
    """The deck with a slide of things a one-file deck cannot carry."""
    remote_css = ".reveal h1 { background: url(https://example.com/remote-bg.png); }\n"
    return write_offline_deck(tmp_path / "deck", OFFLINE_BODY + "\n" + ONLINE_BODY, remote_css)


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of every <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._open = tag if tag in self.raw else None

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.raw[self._open].append(data)


def parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(page_as_shown(html))  # the slides' content, which waits as text until shown, in place
    return tags


def test_one_file_with_everything_inside(offline_deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(offline_deck), "-o", str(out), "--self-contained"]) == 0
    assert sorted(p.name for p in out.iterdir()) == [".deckgen-output", "index.html"]
    page = parse((out / "index.html").read_text(encoding="utf-8"))
    # nothing is loaded from a file: no <link>, no <script src>
    assert [a for tag, a in page.tags if tag == "link" and a.get("rel") == "stylesheet"] == []
    assert [a["src"] for tag, a in page.tags if tag == "script" and "src" in a] == []
    assert len(page.raw["script"]) == 4  # reveal.js, notes, deckgen.js, Reveal.initialize
    # code is highlighted at build time: no highlight.js
    assert not any("RevealHighlight" in script for script in page.raw["script"])
    # local images are the files themselves; remote ones are left as they are
    images = {a["alt"]: a["src"] for tag, a in page.tags if tag == "img"}
    red = "data:image/png;base64," + base64.b64encode(RED).decode()
    assert images == {
        "red square": red,
        "again": red,
        "remote": "https://example.com/remote.png",
        "remote too": "https://example.com/notes.png",
    }
    css = "".join(page.raw["style"])
    assert 'url("data:image/png;base64,' + base64.b64encode(BLUE).decode() + '")' in css
    assert 'url("data:font/woff2;base64,' + base64.b64encode(b"wOF2 not a real font").decode() + '")' in css
    assert "a <\\/style> in a comment" in css


def test_what_cannot_go_offline_is_a_warning_at_its_place(offline_deck: Path, tmp_path: Path, capsys) -> None:
    assert main(["build", str(offline_deck), "-o", str(tmp_path / "out"), "--self-contained"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if "[deckgen.not-offline]" in line]
    # front-matter is 5 lines, so the body starts at line 6; the second slide's notes keep only its line (16)
    assert warnings == [
        "mytheme/theme.css:4:26: warning: url(https://example.com/remote-bg.png) is loaded from the network "
        "[deckgen.not-offline]",
        "slides/1-talk.md:16:1: warning: speaker notes: image 'https://example.com/notes.png' is loaded from the network "
        "[deckgen.not-offline]",
        "slides/1-talk.md:18:11: warning: image 'https://example.com/remote.png' is loaded from the network "
        "[deckgen.not-offline]",
        "slides/1-talk.md:20:14: warning: link to the local file '../images/red.png': a one-file deck does not carry it "
        "[deckgen.not-offline]",
        "slides/1-talk.md:22:1: warning: <iframe src='https://example.com/embed'> needs the network: a one-file deck "
        "cannot carry it [deckgen.not-offline]",
    ]


def test_strict_refuses_what_cannot_go_offline(offline_deck: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["build", str(offline_deck), "-o", str(out), "--self-contained", "--strict"]) == 1
    err = capsys.readouterr().err
    assert "slides/1-talk.md:22:1: error: <iframe" in err and "Traceback" not in err
    assert not out.exists()


def test_a_normal_build_is_unchanged_by_the_option(offline_deck: Path, tmp_path: Path) -> None:
    result = deckgen.build(offline_deck, tmp_path / "out")
    assert not any(w.code == "not-offline" for w in result.warnings)
    page = parse(result.index.read_text(encoding="utf-8"))
    assert next(a["src"] for tag, a in page.tags if tag == "img") == "media/images/red.png"
    assert (tmp_path / "out" / "_deckgen" / "reveal" / "reveal.js").is_file()
    assert not (tmp_path / "out" / "_deckgen" / "themes" / "base" / "live.js").exists()


def test_inlined_text_cannot_close_its_element() -> None:
    js = script_markup("var a = '</script>', b = '</SCRIPT >', c = /<!--/;")
    assert "</script" not in js.lower() and "<!--" not in js
    assert js == "var a = '<\\/script>', b = '<\\/SCRIPT >', c = /\\x3C!--/;"
    assert "</style" not in style_markup("a{} /* </STYLE> */").lower()


def in_own_thread(work: Callable[[], T]) -> T:
    """Run `work` in a thread of its own: Playwright's sync API refuses a thread where another
    Playwright already runs (the browser tests' session-wide one)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


def present_alone(index: Path, folder: Path, chromium_path: str, probe: str = "() => null") -> tuple[Any, list[Any], Any]:
    """Copy a one-file deck alone into an empty folder, open it offline, visit every slide, run `probe`."""
    from browser.deckbrowser import DeckPage, launch_chromium
    from playwright.sync_api import sync_playwright

    alone = folder / "recap.html"
    folder.mkdir()
    shutil.copyfile(index, alone)

    def present() -> tuple[Any, list[Any], Any]:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, chromium_path)
            try:
                page = DeckPage.open(browser, alone)
                return page, page.tour(), page.evaluate(probe)
            finally:
                browser.close()

    page, visits, probed = in_own_thread(present)
    # the page is the only thing it reads: no other file, no network
    assert [url for url in page.requests if not url.startswith("data:")] == [alone.as_uri()]
    assert page.blocked == [] and page.console_errors == []
    unread = [v.where for v in visits if sorted(v.qr_links) != sorted(c.text for c in v.codes)]
    assert unread == [], "QR codes that did not scan"
    return page, visits, probed


@pytest.mark.browser
def test_alone_in_an_empty_folder_it_presents_offline_and_every_qr_code_scans(tmp_path: Path, chromium_path: str) -> None:
    deck = write_offline_deck(tmp_path / "deck", OFFLINE_BODY)
    result = deckgen.build(deck, tmp_path / "out", self_contained=True)
    assert result.warnings == ()
    probe = """() => ({
      notes: !!Reveal.getPlugin('notes'),
      highlighted: new Set(Array.from(document.querySelectorAll('pre.dg-code code span'), s => getComputedStyle(s).color)).size,
      image: document.querySelector('img[alt="red square"]').naturalWidth,
      background: getComputedStyle(document.querySelector('.dg-main')).backgroundImage.startsWith('url("data:image/png;base64,'),
    })"""
    _, visits, probed = present_alone(result.index, tmp_path / "empty", chromium_path, probe)
    assert probed == {"notes": True, "highlighted": 2, "image": 40, "background": True}  # print and the string: two colours
    assert len(visits) == result.slide_count
    assert sum(len(v.codes) for v in visits) == result.qr_count


@pytest.mark.browser
def test_the_example_deck_as_one_file_presents_offline(example_deck: Path, tmp_path: Path, chromium_path: str) -> None:
    result = deckgen.build(example_deck, tmp_path / "out", self_contained=True)
    assert [w for w in result.warnings if w.code == "not-offline"] == []
    _, visits, _ = present_alone(result.index, tmp_path / "mail-attachment", chromium_path)
    assert len(visits) == result.slide_count == 105
    assert {c.text for v in visits for c in v.codes} == {e.url for e in result.links}
