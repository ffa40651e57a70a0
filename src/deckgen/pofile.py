"""gettext catalogues: read a `.po` file (what translators edit) and write the `.mo` form Python's `gettext` reads.

Only the standard library: `hatch_build.py` compiles deckgen's own catalogues with it when the
package is built, and a build compiles a theme's catalogues (or a `.po` edited in a source
checkout) in memory. What `msgfmt` skips is skipped here too: fuzzy and untranslated entries,
obsolete (`#~`) ones.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path

from .errors import DeckgenError

CONTEXT_SEPARATOR = "\x04"
"""Between a message's context and its id in a compiled catalogue's key (as GNU gettext writes it)."""


class CatalogueError(DeckgenError):
    """A catalogue that cannot be read or compiled, at a line of its `.po` file when known."""

    def __init__(self, path: Path | None, line: int | None, message: str) -> None:
        self.path = path
        self.line = line
        self.reason = message
        super().__init__(f"{path or 'catalogue'}{f':{line}' if line else ''}: {message}")


@dataclass(frozen=True, slots=True)
class PoEntry:
    """One message of a catalogue and its translation."""

    msgid: str
    strings: tuple[str, ...]
    """The translation: one string, or one per plural form (`msgstr[0]`, `msgstr[1]`, …)."""
    context: str | None = None
    plural: str | None = None
    """The English plural (`msgid_plural`); None for a message without plural forms."""
    fuzzy: bool = False
    line: int = 0
    """The line of its `msgid`."""

    @property
    def key(self) -> str:
        """The entry's key in a compiled catalogue (context, id and plural joined as GNU gettext does)."""
        key = self.msgid if self.context is None else f"{self.context}{CONTEXT_SEPARATOR}{self.msgid}"
        return key if self.plural is None else f"{key}\0{self.plural}"

    @property
    def translated(self) -> bool:
        return not self.fuzzy and bool(self.strings) and all(self.strings)


_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*)$")


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _string(text: str, line: int) -> str:
    """A quoted PO string's value: C's escapes undone."""
    text = text.strip()
    if len(text) < 2 or not text.startswith('"') or not text.endswith('"'):
        raise CatalogueError(None, line, f"expected a string in double quotes, found {text[:40]!r}")
    body, out, index = text[1:-1], [], 0
    while index < len(body):
        char = body[index]
        if char == '"':
            raise CatalogueError(None, line, "a double quote inside a string must be written \\\"")
        if char != "\\":
            out.append(char)
            index += 1
            continue
        escaped = body[index + 1 : index + 2]
        if escaped not in _ESCAPES:
            raise CatalogueError(None, line, f"unknown escape \\{escaped} in a string (write the character itself)")
        out.append(_ESCAPES[escaped])
        index += 2
    return "".join(out)


class _Entry:
    """An entry being read: its fields as they come, line by line."""

    def __init__(self) -> None:
        self.fields: dict[str, str] = {}
        self.plural_strings: dict[int, str] = {}
        self.fuzzy = False
        self.line = 0
        self.last: tuple[str, int | None] | None = None

    def start(self, field: str, index: int | None, value: str, line: int) -> None:
        name = field if index is None else f"msgstr[{index}]"
        if name in self.fields or (index is not None and index in self.plural_strings):
            raise CatalogueError(None, line, f"{name} given twice in one entry")
        if field == "msgid":
            self.line = line
        if index is None:
            self.fields[field] = value
        else:
            self.plural_strings[index] = value
        self.last = (field, index)

    def extend(self, value: str, line: int) -> None:
        if self.last is None:
            raise CatalogueError(None, line, "a string continues nothing: it must follow msgid, msgstr or msgctxt")
        field, index = self.last
        if index is None:
            self.fields[field] += value
        else:
            self.plural_strings[index] += value

    @property
    def has_translation(self) -> bool:
        return "msgstr" in self.fields or bool(self.plural_strings)

    @property
    def empty(self) -> bool:
        return not self.fields and not self.plural_strings

    def finish(self, end_line: int) -> PoEntry:
        if "msgid" not in self.fields:
            raise CatalogueError(None, self.line or end_line, "an entry without msgid")
        plural = self.fields.get("msgid_plural")
        if plural is None:
            if self.plural_strings:
                raise CatalogueError(None, self.line, "msgstr[N] given for a message without msgid_plural")
            if "msgstr" not in self.fields:
                raise CatalogueError(None, self.line, "an entry without msgstr")
            strings: tuple[str, ...] = (self.fields["msgstr"],)
        else:
            if "msgstr" in self.fields:
                raise CatalogueError(None, self.line, "a message with msgid_plural takes msgstr[0], msgstr[1], …, not msgstr")
            if sorted(self.plural_strings) != list(range(len(self.plural_strings))) or not self.plural_strings:
                raise CatalogueError(None, self.line, "the plural forms must be msgstr[0], msgstr[1], … with none missing")
            strings = tuple(self.plural_strings[i] for i in range(len(self.plural_strings)))
        return PoEntry(self.fields["msgid"], strings, self.fields.get("msgctxt"), plural, self.fuzzy, self.line)


def parse_po(text: str) -> tuple[PoEntry, ...]:
    """Every entry of a `.po` file's text, the header (msgid "") included; raise `CatalogueError` at a line."""
    entries: list[PoEntry] = []
    seen: dict[str, int] = {}
    current = _Entry()

    def flush(line: int) -> _Entry:
        if not current.empty:
            entry = current.finish(line)
            if entry.key in seen:
                raise CatalogueError(None, entry.line, f"message {entry.msgid!r} is given twice (first at line {seen[entry.key]})")
            seen[entry.key] = entry.line
            entries.append(entry)
        return _Entry()

    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):  # a blank line, or an obsolete entry (msgfmt ignores both)
            continue
        if line.startswith("#"):
            if current.has_translation:  # comments after a translation belong to the next entry
                current = flush(number)
            if line.startswith("#,") and "fuzzy" in (flag.strip() for flag in line[2:].split(",")):
                current.fuzzy = True
            continue
        if line.startswith('"'):
            current.extend(_string(line, number), number)
            continue
        match = _KEYWORD.match(line)
        if match is None:
            raise CatalogueError(None, number, f"expected msgctxt, msgid, msgid_plural or msgstr, found {line[:40]!r}")
        field = match.group(1).split("[")[0]
        starts_entry = field == "msgctxt" or (field == "msgid" and set(current.fields) - {"msgctxt"})
        if starts_entry or (field == "msgid" and current.plural_strings):
            current = flush(number)
        elif field != "msgid" and "msgid" not in current.fields:
            raise CatalogueError(None, number, f"{field} before the entry's msgid")
        index = int(match.group(2)) if match.group(2) is not None else None
        current.start(field, index, _string(match.group(3), number), number)
    flush(len(lines) + 1)
    return tuple(entries)


def header_fields(entries: tuple[PoEntry, ...]) -> dict[str, str]:
    """The catalogue's header (the translation of msgid ""): `Plural-Forms`, `Language`, …"""
    for entry in entries:
        if entry.msgid == "" and entry.context is None:
            fields: dict[str, str] = {}
            for line in entry.strings[0].splitlines():
                name, colon, value = line.partition(":")
                if colon:
                    fields[name.strip()] = value.strip()
            return fields
    return {}


def mo_bytes(entries: tuple[PoEntry, ...]) -> bytes:
    """The catalogue compiled as GNU `msgfmt` would: translated entries and the header, sorted, no hash table."""
    pairs = sorted(
        (entry.key.encode("utf-8"), "\0".join(entry.strings).encode("utf-8"))
        for entry in entries
        if entry.translated or (entry.msgid == "" and entry.context is None)
    )
    header_size = 7 * 4
    originals_at = header_size
    translations_at = originals_at + 8 * len(pairs)
    data_at = translations_at + 8 * len(pairs)
    tables = bytearray()
    data = bytearray()
    offsets: list[tuple[int, int]] = []
    for text in [key for key, _ in pairs] + [value for _, value in pairs]:
        offsets.append((len(text), data_at + len(data)))
        data += text + b"\0"
    for length, offset in offsets:
        tables += struct.pack("<II", length, offset)
    header = struct.pack("<7I", 0x950412DE, 0, len(pairs), originals_at, translations_at, 0, data_at)
    return header + bytes(tables) + bytes(data)
