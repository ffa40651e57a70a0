"""Hold `deckgen schema` to the loader: a real JSON Schema validator (jsonschema) against what deckgen says.

For every file of a deck the loader reads (deck.yaml, and the front-matter of each Markdown file):
- the schema refuses it only when the loader reports a problem with its shape at that file
  (a schema never stops a deck that deckgen builds cleanly), and
- the schema refuses it whenever the loader reports such a problem that a schema can state.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

SHAPE_CODES = frozenset({"wrong-type", "missing-key", "bad-url", "bad-choice", "unknown-key", "not-a-mapping", "duplicate-track"})
"""Problems with the shape of a value: what a schema speaks of."""
PARTLY_STATED = frozenset({"duplicate-track"})
"""Shape problems a schema states only in part: it compares values (1 and 1.0 are equal), deckgen their text."""


@cache
def validator(name: str) -> Any:
    """A jsonschema validator of the schema `deckgen schema NAME` prints, as a file would hold it."""
    import jsonschema

    from deckgen.json_schema import schema_text

    schema = json.loads(schema_text(name))  # type: ignore[arg-type]
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def as_json(value: object) -> object:
    """A YAML value as a JSON Schema tool sees it: a YAML date is a string (as YAML 1.2 and JSON have it)."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return value


def documents(deck: Path, *, as_read: bool = False) -> dict[str, tuple[str, object]]:
    """The YAML documents of the files the loader reads, by path relative to the deck: (schema name, value).

    Each value as a JSON Schema tool sees it (`as_json`), or `as_read` as PyYAML gives it (YAML
    dates as dates), as a Python tool that validates `yaml.safe_load`'s result meets it.

    Files whose YAML cannot be read (a syntax error, bad UTF-8) have no document to validate.
    """
    from deckgen.loader import read_deck
    from deckgen.problems import Collector
    from deckgen.sources import DECK_FILE, decode_text, split_front_matter
    from deckgen.yamlfile import load_yaml

    root = deck.resolve()
    found: dict[str, tuple[str, object]] = {}
    for path_text, *_ in read_deck(root).read:
        path = Path(path_text)
        if not path.is_file() or not (path.suffix == ".md" or path == root / DECK_FILE):
            continue
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else path_text
        ignored = Collector()
        try:
            data = path.read_bytes()
        except OSError:
            continue
        source = decode_text(data, rel, ignored)
        if source is None:
            continue
        if rel == DECK_FILE:
            doc = load_yaml(source.text, rel, 1, ignored)
            if doc is not None:
                found[rel] = ("deck", doc.data if as_read else as_json(doc.data))
            continue
        split = split_front_matter(source, ignored)
        if split is None or split.front_matter is None:
            continue
        doc = load_yaml(split.front_matter, rel, split.front_matter_line, ignored)
        if doc is not None:
            found[rel] = ("talk", doc.data if as_read else as_json(doc.data))
    return found


def schema_errors(name: str, value: object) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}" for error in validator(name).iter_errors(value)]


def disagreements(deck: Path) -> list[str]:
    """Where the schema and the loader disagree about the deck's files (empty when they agree)."""
    from deckgen.loader import read_deck
    from deckgen.sources import DECK_FILE

    problems = read_deck(deck).problems
    no_slides = any(p.code == "no-slides" for p in problems)
    found = []
    raw_values = documents(deck, as_read=True)
    for rel, (name, value) in documents(deck).items():
        shape = {p.code for p in problems if p.path == rel and p.code in SHAPE_CODES}
        refused = schema_errors(name, value)
        raw = raw_values.get(rel)
        if raw is not None and bool(schema_errors(name, raw[1])) != bool(refused):
            found.append(f"{rel}: the schema judges the file as yaml.safe_load reads it (YAML dates as dates) otherwise")
        if rel == DECK_FILE and no_slides:
            shape.add("no-slides")  # `slides: []` leaves no slides: the schema says so at deck.yaml
        if refused and not shape:
            found.append(f"{rel}: the schema refuses what deckgen takes: {refused}")
        if shape - PARTLY_STATED - {"no-slides"} and not refused:
            said = [str(p) for p in problems if p.path == rel and p.code in SHAPE_CODES]
            found.append(f"{rel}: the schema takes what deckgen refuses: {said}")
    return found
