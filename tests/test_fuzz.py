"""Random decks: every build either succeeds or reports problems; never another exception, never a hang."""

from __future__ import annotations

import shutil
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deckgen

KEYS = ["title", "speakers", "track", "video", "links", "class", "vidoe", "url", "theme", "tracks", "reveal", "html", "slides", "closing"]
yaml_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from(["https://example.com/v", "javascript:alert(1)", "data:,x", "../../etc/passwd", "kubecon", "default", "a"]),
)
yaml_values = st.recursive(
    yaml_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4), max_leaves=8
)
LINE_PIECES = [
    "---", "--", "Note:", "```", "~~~", "# Heading", "- item", "![i](img/x.png)", "![o](../../x.png)", "<div>", "</div>",
    "| a | b |", "|---|---|", "", "\ufeff", "\r",
    # Raw HTML that names files, and files named in speaker notes: copied and rewritten, or errors at their line.
    '<img src="img/x.png" width="50%">', "<IMG SRC=../x.png>", '<a href="doc.pdf#p=2">d</a>',
    '<video poster="p.png"><source src="v.mp4"></video>',
    'Note: see ![n](img/n.png) <img src="&amp;.png">', "<img src='//cdn.example/x.png'/>", '<object data="x.svg"></object>',
]
body_lines = st.lists(st.one_of(st.sampled_from(LINE_PIECES), st.text(max_size=40)), max_size=12)


class _MediaPaths(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "poster", "data") and value and value.startswith("media/"):
                self.found.append(unquote(value.split("#")[0]))


def media_paths(page: Path) -> list[str]:
    """Every `media/…` file the page points at, from any attribute (Markdown's or raw HTML's)."""
    finder = _MediaPaths()
    finder.feed(page.read_text(encoding="utf-8"))
    return finder.found


def front_matter_text(value: object) -> str:
    import yaml

    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except yaml.YAMLError:
        return "title: x\n"


files = st.lists(
    st.tuples(
        st.one_of(st.none(), yaml_values, st.text(max_size=40)),
        body_lines,
        st.one_of(st.none(), st.binary(max_size=30)),
    ),
    min_size=0,
    max_size=4,
)
decks = st.tuples(st.one_of(yaml_values, st.text(max_size=60), st.just({"title": "T", "tracks": ["a", "b"]})), files)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(decks)
def test_random_decks_build_or_report_problems(spec: tuple[object, list[tuple[object, list[str], bytes | None]]]) -> None:
    deck_yaml, file_specs = spec
    root = Path(tempfile.mkdtemp(prefix="deckgen-fuzz-"))
    try:
        deck = root / "deck"
        (deck / "slides" / "img").mkdir(parents=True)
        (deck / "slides" / "img" / "x.png").write_bytes(b"\x89PNG")  # some paths name a file that is there
        (deck / "slides" / "doc.pdf").write_bytes(b"%PDF")
        (deck / "deck.yaml").write_text(deck_yaml if isinstance(deck_yaml, str) else front_matter_text(deck_yaml), encoding="utf-8")
        for index, (front, lines, noise) in enumerate(file_specs):
            text = ""
            if front is not None:
                text = "---\n" + (front if isinstance(front, str) else front_matter_text(front)) + "---\n"
            data = (text + "\n".join(lines)).encode("utf-8", "surrogatepass")
            if noise:
                data += noise
            (deck / "slides" / f"{index}.md").write_bytes(data)
        try:
            result = deckgen.build(deck, root / "out")
        except deckgen.DeckError as error:
            assert error.problems, "a DeckError must carry at least one problem"
            assert all(p.path and p.message for p in error.problems)
            assert not (root / "out").exists()
        else:
            assert (result.out / "index.html").is_file()
            assert result.slide_count >= 2
            missing = [path for path in media_paths(result.out / "index.html") if not (result.out / path).is_file()]
            assert not missing, f"the page points at files the output lacks: {missing}"
    finally:
        shutil.rmtree(root, ignore_errors=True)


PATH_PIECES = [
    "![i](img/x.png)", '<img src="img/x.png" width="50%" alt="a &amp; b">', "<IMG SRC=img/x.png>", '<a href="doc.pdf#p=2">d</a>',
    "[pdf](doc.pdf)", "Note: see ![n](img/x.png)", '<video poster="img/x.png"><source src="doc.pdf"></video>',
    "<p>inline <img src='img/x.png'/> text</p>", "<!-- <img src=\"img/nope.png\"> -->",
    '<img srcset="img/x.png 1x, https://cdn.example/y.png 2x" src="img/x.png">',
    # A blank line first: right under a raw HTML line, this line would be raw HTML too (CommonMark).
    "\n`<img src=\"img/nope.png\">` is code",
]
path_bodies = st.lists(
    st.one_of(st.sampled_from(PATH_PIECES + LINE_PIECES[:14]), st.text(alphabet="ab <>\"'=/#", max_size=20)), max_size=10
)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(path_bodies, min_size=1, max_size=3))
def test_every_file_a_built_page_points_at_is_in_the_output(bodies: list[list[str]]) -> None:
    root = Path(tempfile.mkdtemp(prefix="deckgen-fuzz-"))
    try:
        deck = root / "deck"
        (deck / "slides" / "img").mkdir(parents=True)
        (deck / "slides" / "img" / "x.png").write_bytes(b"\x89PNG")
        (deck / "slides" / "doc.pdf").write_bytes(b"%PDF")
        (deck / "deck.yaml").write_text("title: Paths\n", encoding="utf-8")
        for index, lines in enumerate(bodies):
            (deck / "slides" / f"{index}.md").write_text("# Slide\n" + "\n".join(lines), encoding="utf-8")
        try:
            result = deckgen.build(deck, root / "out")
        except deckgen.DeckError as error:
            # Only a path that names no file of the deck may stop the build (random text can make one).
            assert all(p.code in ("missing-file", "outside-deck") for p in error.errors), error
            assert not any("nope.png" in p.message for p in error.errors), "a path in code or in a comment is not a file"
            return
        missing = [path for path in media_paths(result.out / "index.html") if not (result.out / path).is_file()]
        assert not missing, f"the page points at files the output lacks: {missing}"
    finally:
        shutil.rmtree(root, ignore_errors=True)
