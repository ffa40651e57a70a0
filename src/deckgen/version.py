"""deckgen's version, written once: the package metadata reads it at build time (pyproject's
`[tool.hatch.version]`), and the modules that print or key with it import it from here rather than
from the package, so no module imports `deckgen/__init__.py` back."""

__version__ = "0.1.0"
