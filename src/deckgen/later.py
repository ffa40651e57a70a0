"""Slide content kept as text in the page until the slide is about to be shown.

A browser reads a page's text far faster than it builds elements: a deck of a thousand slides
opens as fast as a small one when each slide's content waits, as text in a
`<script type="text/html">`, for deckgen.js to put it in place as its slide comes near. Script
text ends at the first `</script` and changes its reading after `<!--`, so the `<` of `</script`
(in any case) and of `<!` is written `%3C`, and a `%` that would read as one of these escapes
(`%25`, `%3C`) is written `%25` (nothing else changes): deckgen.js reads it back exactly.
"""

from __future__ import annotations

import re

from markupsafe import Markup

_NEEDS_ESCAPE = re.compile(r"%(?=25|3C)|<(?=!|/script)", re.IGNORECASE)
_ESCAPES = {"%": "%25", "<": "%3C"}


def as_later_text(html: str) -> Markup:
    """`html` (already safe HTML) as the text of a `<script type="text/html">` that deckgen.js reads back."""
    return Markup(_NEEDS_ESCAPE.sub(lambda match: _ESCAPES[match.group(0)], str(html)))


def from_later_text(text: str) -> str:
    """The HTML that `as_later_text` wrote (what deckgen.js does in the browser; for tests and tools)."""
    return re.sub(r"%(25|3C)", lambda match: "%" if match.group(1) == "25" else "<", text)


TEMPLATE_FILTERS = {"later_text": as_later_text}
"""The filters deckgen's templates use: every environment that compiles or renders them has them."""
