"""The root of every exception deckgen raises on purpose, so a library caller catches one thing."""

from __future__ import annotations


class DeckgenError(Exception):
    """Something deckgen cannot do because of its input or its machine, not because of a bug.

    Subclasses: `DeckError` (a deck's problems, at their files and lines), `SetupError` (deckgen
    itself is not set up), `ThemeError`, `ServeError`, `PdfError`, `DevToolsError`, `NoNetworkError`
    (`check --online` on a machine without network). The CLI prints
    one as `deckgen: error: …` (a `DeckError` as its problems) and exits with `exit_code`.
    """

    exit_code: int = 1
