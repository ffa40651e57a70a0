"""Slide content kept as script text (deckgen.later): read back exactly, never ending its script early."""

from __future__ import annotations

import re

import pytest

from deckgen.later import as_later_text, from_later_text

HOSTILE = [
    "<p>plain</p>",
    "<pre><code>&lt;/script&gt; and </script> and </SCRIPT > and </ScRiPt\n></code></pre>",
    "<!-- a comment --><p>after <!DOCTYPE-like text</p>",
    "<p>%25 %3C %3c %2525 %%3C %</p>",
    "<p>50% off, %20 in a URL: <a href='https://example.com/a%20b'>x</a></p>",
    "%",
    "%3",
    "<",
    "</scrip",
    "<script>var a = '</script>';</script>",
]


@pytest.mark.parametrize("html", HOSTILE)
def test_script_text_reads_back_exactly(html: str) -> None:
    text = str(as_later_text(html))
    assert from_later_text(text) == html
    # Nothing in it ends the script or changes how the browser reads it.
    assert not re.search(r"</script|<!", text, re.IGNORECASE)


def test_ordinary_markup_is_left_as_it_is() -> None:
    html = "<div class='dg-main'><h2>Title</h2><p>a <em>b</em> 20%</p></div>"
    assert str(as_later_text(html)) == html
