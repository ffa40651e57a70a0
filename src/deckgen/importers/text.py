"""Text from schedules: HTML abstracts turned into plain text, and plain text made safe for Markdown."""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_SKIPPED_TAGS = frozenset(("script", "style", "template", "head", "title"))
_INLINE_TAGS = frozenset(
    [
        *("a", "abbr", "b", "cite", "code", "del", "em", "i", "img", "ins", "kbd", "mark", "q", "s", "samp", "small", "span"),
        *("strike", "strong", "sub", "sup", "tt", "u", "var", "body", "html", "meta", "link", "font", "center", "wbr"),
    ]
)
_HTML_TAGS = _BLOCK_TAGS | _SKIPPED_TAGS | _INLINE_TAGS
"""The elements an abstract written in HTML holds; any other `<word>` is text (`Vec<T>`, `a<b and c>d`)."""
_ATTRIBUTES = r"""(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))*"""
_LOOKS_LIKE_HTML = re.compile(
    rf"<(?:{'|'.join(sorted(_HTML_TAGS, key=len, reverse=True))}){_ATTRIBUTES}\s*/?>|</[a-zA-Z][a-zA-Z0-9]*\s*>"
    r"|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);",
    re.IGNORECASE,
)
"""HTML as abstracts hold it: a known element (attributes written `name=value`), an end tag, an entity."""
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters (a NUL, a terminal's escape, a bell) that schedule text has no use for; tabs and line breaks are white space."""
_SPACES = re.compile(r"[ \t\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\n{3,}")


class _TextCollector(HTMLParser):
    """Keeps the text of an HTML fragment: block elements become paragraphs, list items `•` lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:  # `Vec<T>` in an HTML abstract is text, not an element
            self.handle_data(self.get_starttag_text() or "")
        elif tag in _SKIPPED_TAGS:
            self.skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
            if tag == "li":
                self.parts.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data.replace("\n", " "))


def plain_text(value: str | None) -> str:
    """A schedule's abstract as plain text: paragraphs separated by one blank line, HTML taken apart.

    Text that holds no tag or entity is taken as it is (pretalx and Sessionize write plain text or
    Markdown); HTML goes through the standard library's parser, which never fetches or runs anything.
    """
    if not value:
        return ""
    text = _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
    if _LOOKS_LIKE_HTML.search(text):
        collector = _TextCollector()
        collector.feed(text)
        collector.close()
        text = "".join(collector.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def one_line(value: str | None) -> str:
    """A title or a name: every run of white space (line breaks included) as one space, control characters dropped."""
    return _CONTROLS.sub("", " ".join((value or "").split()))


# Characters that mean something to CommonMark (or GFM tables and strikethrough) inside a line.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>&|~])")
# Line starts that open a block: headings, quotes, lists, thematic breaks, setext underlines.
_BLOCK_START = re.compile(r"^([#>+=-]|\d{1,9}(?=[.)]))")
_NOTE_MARKER = re.compile(r"^(notes?)(:)", re.IGNORECASE)


def escape_markdown(text: str) -> str:
    """`text` as Markdown that renders as exactly that text: no HTML, link, emphasis or slide break.

    Every line is escaped on its own: inline specials get a backslash, a line start that would open
    a block (`#`, `-`, `1.`, `>` …) is escaped, leading spaces (an indented code block) are dropped,
    and a line reading `Note:` cannot start speaker notes.
    """
    escaped = []
    for line in text.split("\n"):
        line = _INLINE_SPECIALS.sub(r"\\\1", line.lstrip())
        match = _BLOCK_START.match(line)
        if match and match.group(1).isdigit():
            end = match.end()
            line = f"{line[:end]}\\{line[end:]}"
        elif match:
            line = "\\" + line
        line = _NOTE_MARKER.sub(r"\1\\\2", line)
        escaped.append(line)
    return "\n".join(escaped)
