"""Small deck-writing helpers for tests."""

from __future__ import annotations

from pathlib import Path

WRITTEN_DECKS: list[Path] = []
"""The decks the running test wrote: conftest.py holds each to `deckgen schema` once the test is done."""


def write_deck(root: Path, deck_yaml: str, files: dict[str, str | bytes]) -> Path:
    """Write a deck folder: deck.yaml plus `files` (paths relative to the deck folder)."""
    root.mkdir(parents=True, exist_ok=True)
    WRITTEN_DECKS.append(root)
    (root / "deck.yaml").write_text(deck_yaml, encoding="utf-8")
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def write_case(root: Path, spec: str) -> None:
    """Write a deck from a golden case's text: files after `>>> path` lines (`\\ufeff`: a BOM, `\\r`: a CR)."""
    root.mkdir(parents=True)
    WRITTEN_DECKS.append(root)
    current: list[str] | None = None
    files: dict[str, list[str]] = {}
    for line in spec.splitlines(keepends=True):
        if line.startswith(">>> "):
            current = files.setdefault(line[4:].strip(), [])
        elif current is not None:
            current.append(line)
    for rel, lines in files.items():
        text = "".join(lines).replace("\\ufeff", "\ufeff").replace("\\r\n", "\r\n")
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(text.encode("utf-8"))
    (root / "slides").mkdir(exist_ok=True)


def talk(title: str, track: str | None = None, video: str | None = None, body: str = "# Slide\n", **extra: str) -> str:
    """A talk file's text."""
    lines = ["---", f"title: {title!r}"]
    if track is not None:
        lines.append(f"track: {track!r}")
    if video is not None:
        lines.append(f"video: {video}")
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n---\n" + body


def page_as_shown(html: str) -> str:
    """A built page with the slide content it keeps as text (until deckgen.js shows it) put in place, as HTML."""
    import re

    from deckgen.later import from_later_text

    return re.sub(
        r'<script type="text/html" class="[^"]*">(.*?)</script>', lambda match: from_later_text(match.group(1)), html, flags=re.S
    )


class PageInspector:
    """Reads a built index.html with the standard HTML parser: its slides and QR codes (the content a
    slide keeps as text until it is shown is read in place, once: a talk's footer once per talk)."""

    def __init__(self, html: str) -> None:
        from html.parser import HTMLParser

        html = page_as_shown(html)

        self.sections: list[dict[str, str]] = []
        self.qr_labels: list[str] = []
        self.qr_links: list[str] = []
        self.section_qr_links: list[list[str]] = []
        """The QR codes' links of each slide in `sections` (same order)."""
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.texts: list[str] = []
        inspector = self

        open_sections: list[int | None] = []  # for each open <section>, its index in `sections` (None: a stack)

        class _Parser(HTMLParser):
            def handle_endtag(self, tag: str) -> None:
                if tag == "section" and open_sections:
                    open_sections.pop()

            def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
                a = {k: v or "" for k, v in attrs}
                if tag == "section":
                    open_sections.append(len(inspector.sections) if "data-dg" in a else None)
                if tag == "a" and "dg-qr-link" in a.get("class", "") and open_sections and open_sections[-1] is not None:
                    inspector.section_qr_links[open_sections[-1]].append(a["href"])
                if tag == "section" and "data-dg" in a:
                    inspector.sections.append(a)
                    inspector.section_qr_links.append([])
                elif tag == "svg" and "dg-qr-code" in a.get("class", ""):
                    inspector.qr_labels.append(a.get("aria-label", ""))
                elif tag == "a" and "dg-qr-link" in a.get("class", ""):
                    inspector.qr_links.append(a["href"])
                elif tag == "script" and "src" in a:
                    inspector.scripts.append(a["src"])
                elif tag == "link" and a.get("rel") == "stylesheet":
                    inspector.stylesheets.append(a["href"])

            def handle_data(self, data: str) -> None:
                if data.strip():
                    inspector.texts.append(data.strip())

        _Parser().feed(html)

    def kinds(self) -> list[str]:
        return [s["data-dg"] for s in self.sections]

    def divider_tracks(self) -> list[str]:
        return [s["data-track"] for s in self.sections if s["data-dg"] == "divider"]


ROOT = Path(__file__).resolve().parents[1]


def documented_theme_variables() -> dict[str, tuple[str, str, str]]:
    """The README's table of theme variables: name → (what it colours, default value, kubecon value)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(--dg-[\w-]+)` \| (.+?) \| `(.+?)` \| `(.+?)` \|$", readme, re.MULTILINE)
    return {name: (what, default, kubecon) for name, what, default, kubecon in rows}


def theme_root_variables(theme: str) -> dict[str, str]:
    """The `--dg-*` variables a built-in theme's stylesheet sets in `:root`, as written."""
    import re

    text = (ROOT / "themes" / theme / "theme.css").read_text(encoding="utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    block = re.search(r":root\s*\{(.*?)\}", text, re.DOTALL)
    return dict(re.findall(r"(--dg-[\w-]+)\s*:\s*([^;]+?)\s*;", block.group(1))) if block else {}


def theme_variables_used(theme: str) -> set[str]:
    """Every `--dg-*` name a built-in theme's stylesheet sets or reads."""
    import re

    return set(re.findall(r"--dg-[\w-]+", (ROOT / "themes" / theme / "theme.css").read_text(encoding="utf-8")))
