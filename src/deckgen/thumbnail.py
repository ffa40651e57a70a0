"""A picture of a deck's title slide (`deckgen site --thumbnails`), taken by the system's headless
Chromium as `deckgen pdf` drives it (`devtools.py`): for the share previews and the archive page."""

from __future__ import annotations

import base64
import os
import tempfile
from pathlib import Path
from types import TracebackType

from .devtools import Chromium, DevToolsError
from .errors import DeckgenError
from .pages import THUMBNAIL, THUMBNAIL_SIZE
from .pdf import PRINT_FLAGS, find_chromium

JPEG_QUALITY = 85
"""Sharp text, smooth gradients: a slide's picture in a few tens of kilobytes."""
PICTURE_SECONDS = 60.0
"""The time Chromium has to open a deck and take its picture."""
READY_JS = """(() => window.Reveal && Reveal.isReady() && document.fonts.status === 'loaded'
  && document.documentElement.dataset.deckgenFitted === 'true')()"""
"""reveal.js is ready, the fonts are loaded and deckgen.js has fitted the first slide."""
STILL_JS = """(() => {
  Reveal.configure({controls: false, progress: false, slideNumber: false});
  if (window.deckgen) window.deckgen.fitSlide(Reveal.getCurrentSlide());
  window.__deckgenStill = false;
  requestAnimationFrame(() => requestAnimationFrame(() => { window.__deckgenStill = true; }));
  return true;
})()"""
"""The slide alone (no arrows, progress bar or slide number), fitted with the loaded fonts; a flag set once it is painted."""


class ThumbnailError(DeckgenError):
    """Chromium could not take the picture of a deck's title slide."""


class Thumbnails:
    """One headless Chromium that takes the pictures of a site's decks, started at the first picture.

    Use as a context manager; `chromium` is a path or a command (default: Chromium on PATH). Without
    Chromium it raises `SetupError` at once, saying what to install.
    """

    def __init__(self, chromium: str | os.PathLike[str] | None = None, *, show_messages: bool = False) -> None:
        self.executable = find_chromium(chromium)
        self._show_messages = show_messages
        self._profile: tempfile.TemporaryDirectory[str] | None = None
        self._browser: Chromium | None = None

    def __enter__(self) -> Thumbnails:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Stop Chromium (when it was started) and remove its profile."""
        if self._browser is not None:
            self._browser.__exit__(None, None, None)
            self._browser = None
        if self._profile is not None:
            self._profile.cleanup()
            self._profile = None

    def _started(self) -> Chromium:
        if self._browser is None:
            self._profile = tempfile.TemporaryDirectory(prefix="deckgen-thumbnails-")
            browser = Chromium(self.executable, Path(self._profile.name), PRINT_FLAGS, show_messages=self._show_messages)
            try:
                self._browser = browser.__enter__()
            except DevToolsError as exc:
                raise ThumbnailError(str(exc)) from exc
        return self._browser

    def take(self, page: Path) -> bytes:
        """A JPEG of the first slide of the built deck `page` (its `index.html`), at the slide's size."""
        browser = self._started()
        width, height = THUMBNAIL_SIZE
        try:
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = str(browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"])
            metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}
            browser.send("Emulation.setDeviceMetricsOverride", metrics, session=session)
            browser.send("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            browser.wait_for(session, READY_JS, PICTURE_SECONDS)
            browser.evaluate(session, STILL_JS)
            browser.wait_for(session, "window.__deckgenStill === true", PICTURE_SECONDS)
            picture = {"format": "jpeg", "quality": JPEG_QUALITY}
            shot = browser.send("Page.captureScreenshot", picture, session=session, timeout=PICTURE_SECONDS)
            browser.send("Target.closeTarget", {"targetId": target})
        except DevToolsError as exc:
            raise ThumbnailError(f"Chromium could not take the picture of the title slide of {page.parent.name}: {exc}") from exc
        return base64.b64decode(shot["data"])

    def picture_beside(self, folder: Path) -> None:
        """Write the picture of the deck built in `folder` beside its page, as `thumbnail.jpg`."""
        (folder / THUMBNAIL).write_bytes(self.take(folder / "index.html"))
