"""Fenced code highlighted at build time: Pygments splits it into tokens, the theme's CSS colours them.

A fence's info string is its language, optionally followed by options in braces:
```` ```python {2,4-5} ```` marks lines 2, 4 and 5; ```` ```python {numbers} ```` numbers the lines;
both combine (`{numbers 3}`). Pygments is imported only when a fence names a language, so a deck
without code never loads it. An unknown language is shown as plain, escaped code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from markdown_it.common.utils import escapeHtml, unescapeAll

if TYPE_CHECKING:
    from pygments.lexer import Lexer
    from pygments.token import _TokenType

NUMBERS_OPTION = "numbers"
"""The fence option that numbers the lines."""
PLAIN_LANGUAGES = frozenset({"", "text", "plain", "plaintext", "txt", "none"})
"""Languages shown as they are, without asking Pygments."""
_OPTIONS = re.compile(r"\{([^{}]*)\}\s*$")
_LINE_RANGE = re.compile(r"(\d+)(?:-(\d+))?$")

# Pygments' token types, coarsened to the roles a theme colours (Pygments' own short class names).
# A token takes the role of its nearest listed ancestor; unlisted types (punctuation, plain names)
# take the text colour.
_ROLE_NAMES = {
    "Keyword": "k",
    "Keyword.Constant": "kc",
    "Keyword.Type": "kt",
    "Operator.Word": "k",
    "Name.Builtin": "nb",
    "Name.Builtin.Pseudo": "nb",
    "Name.Function": "nf",
    "Name.Class": "nf",
    "Name.Decorator": "nd",
    "Name.Tag": "nt",
    "Name.Attribute": "na",
    "Name.Exception": "nb",
    "Name.Variable": "nv",
    "Literal": "m",
    "Literal.String": "s",
    "Literal.String.Escape": "se",
    "Literal.String.Interpol": "se",
    "Literal.Number": "m",
    "Comment": "c",
    "Comment.Preproc": "cp",
    "Comment.PreprocFile": "s",
    "Generic.Inserted": "gi",
    "Generic.Deleted": "gd",
    "Generic.Heading": "gh",
    "Generic.Subheading": "gh",
    "Generic.Prompt": "gp",
    "Generic.Output": "go",
    "Generic.Emph": "ge",
    "Generic.Strong": "gs",
    "Generic.Error": "err",
    "Error": "err",
}


@dataclass(frozen=True, slots=True)
class FenceInfo:
    """What a fence's info string asks for."""

    language: str
    """The first word, lower-cased; empty for none."""
    marked: tuple[tuple[int, int], ...]
    """Ranges of line numbers (1-based, both ends included) to mark: kept as written, so that
    `{1-99999999999}` costs nothing until the code's own lines are looked up."""
    numbered: bool
    """Whether to number the lines."""
    unknown: tuple[str, ...] = ()
    """Options in the braces that are neither a line, a range nor `numbers`, as written."""

    def marks(self, line: int) -> bool:
        return any(first <= line <= last for first, last in self.marked)


@lru_cache(maxsize=256)
def parse_fence_info(raw_info: str) -> FenceInfo:
    """Read a fence's info string as markdown-it-py gives it (entities and escapes undone here): `python {numbers 2,4-5}`."""
    info = unescapeAll(raw_info).strip()
    options = _OPTIONS.search(info)
    words = (info[: options.start()] if options else info).split()
    language = words[0].lower() if words else ""
    marked: list[tuple[int, int]] = []
    numbered = False
    unknown: list[str] = []
    for item in re.split(r"[,\s]+", options.group(1)) if options else ():
        if not item:
            continue
        found = _LINE_RANGE.match(item)
        if item == NUMBERS_OPTION:
            numbered = True
        elif found and int(found.group(1)) >= 1 and int(found.group(2) or found.group(1)) >= int(found.group(1)):
            marked.append((int(found.group(1)), int(found.group(2) or found.group(1))))
        else:
            unknown.append(item)
    return FenceInfo(language, tuple(sorted(set(marked))), numbered, tuple(unknown))


def fence_problems(info: FenceInfo, line_count: int) -> list[str]:
    """What is wrong with a fence's options, for a code block of `line_count` lines (empty when nothing)."""
    problems = [f"code fence option '{item}' is neither a line (4), a range (2-5) nor '{NUMBERS_OPTION}'" for item in info.unknown]
    beyond = sorted(max(first, line_count + 1) for first, last in info.marked if last > line_count)
    if beyond:
        problems.append(f"code fence marks line {beyond[0]}, but the code has {line_count} line{'s' if line_count != 1 else ''}")
    return problems


@lru_cache(maxsize=64)
def _lexer(language: str) -> Lexer | None:
    """Pygments' lexer for a language name or alias, or None when Pygments knows no such language."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(language, stripnl=False)
    except ClassNotFound:
        return None


_roles: dict[_TokenType, str] = {}


def _role(token_type: _TokenType) -> str:
    """The class a token's text gets: its type's nearest listed ancestor's ('' for none)."""
    role = _roles.get(token_type)
    if role is None:
        name = str(token_type).removeprefix("Token").lstrip(".")
        role = _ROLE_NAMES.get(name, "") if name in _ROLE_NAMES or token_type.parent is None else _role(token_type.parent)
        _roles[token_type] = role
    return role


def _escaped_lines(code: str) -> list[str]:
    return [escapeHtml(line) for line in code.split("\n")]


def _highlighted_lines(code: str, lexer: Lexer) -> list[str]:
    """The code's lines as HTML: each token in a span of its role's class, none crossing a line's end."""
    lines: list[str] = []
    current: list[str] = []
    pending_role, pending_text = "", ""

    def close_span() -> None:
        if pending_text:
            text = escapeHtml(pending_text)
            current.append(f'<span class="{pending_role}">{text}</span>' if pending_role else text)

    # The lexer sees the final newline (a comment's rule may end with one); it ends no line of ours.
    for token_type, value in lexer.get_tokens(code + "\n"):
        role = _role(token_type)
        for index, piece in enumerate(value.split("\n")):
            if index:  # a line ends inside this token
                close_span()
                lines.append("".join(current))
                current, pending_role, pending_text = [], "", ""
            if not piece:
                continue
            if role == pending_role or not piece.strip():
                pending_text += piece  # spaces join the span before them: fewer spans
            else:
                close_span()
                pending_role, pending_text = role, piece
    close_span()
    return lines


def _line_block(line: str, marked: bool) -> str:
    return f'<span class="dg-line dg-marked">{line}\n</span>' if marked else f'<span class="dg-line">{line}\n</span>'


def highlight_fence(code: str, info: FenceInfo) -> str:
    """A fence's code as `<pre><code>` HTML: token spans for a known language, lines marked or numbered when asked."""
    body = code[:-1] if code.endswith("\n") else code
    lexer = None if info.language in PLAIN_LANGUAGES else _lexer(info.language)
    lines = _highlighted_lines(body, lexer) if lexer is not None else _escaped_lines(body)
    language = f' class="language-{escapeHtml(info.language)}"' if info.language else ""
    classes = "dg-code dg-numbered" if info.numbered else "dg-code"
    if info.numbered or info.marked:
        # One block per line: a marked line's background spans the block; numbers are CSS counters (never copied).
        text = "".join(_line_block(line, info.marks(number)) for number, line in enumerate(lines, 1))
    else:
        text = "\n".join(lines) + "\n"
    return f'<pre class="{classes}"><code{language}>{text}</code></pre>\n'
