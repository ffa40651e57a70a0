"""Read a schedule file: its size checked, its format found from its content (or forced), its events read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from . import FORMATS
from .event import Schedule, ScheduleError, schedule_error

MAX_BYTES = 64 * 1024 * 1024
"""The largest schedule or playlist file read (a big conference's schedule is a few megabytes)."""


def read_bytes(path: Path, what: str) -> bytes:
    """The bytes of a schedule or playlist file; a missing, unreadable or huge one is a `ScheduleError`."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise schedule_error(name, None, f"the {what} is a folder, not a file", "unreadable")
        if size > MAX_BYTES:
            raise schedule_error(
                name, None, f"the {what} is too large ({size / 2**20:.0f} MB; at most {MAX_BYTES // 2**20} MB)", "too-large"
            )
        with path.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise schedule_error(name, None, f"no such {what} file", "unreadable") from None
    except OSError as exc:
        raise schedule_error(name, None, f"cannot read the {what}: {exc.strerror or exc}", "unreadable") from None
    if len(data) > MAX_BYTES:  # it grew while being read
        raise schedule_error(name, None, f"the {what} is too large (more than {MAX_BYTES // 2**20} MB)", "too-large")
    return data


def decode(data: bytes, path: str) -> str:
    """UTF-8 text (a BOM dropped); a bad byte is an error at its line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise schedule_error(path, line, f"not UTF-8 text (byte 0x{data[exc.start]:02x})", "not-utf8") from None


def load_json(text: str, path: str, first_line: int = 1) -> Any:
    """A JSON document (starting on line `first_line` of its file); a syntax error is an error at its line and column."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise schedule_error(path, exc.lineno + first_line - 1, f"not valid JSON: {exc.msg}", "bad-json", exc.colno) from None
    except RecursionError:
        raise schedule_error(path, first_line, "not usable JSON: nested too deeply", "bad-json") from None
    except ValueError:  # Python refuses to read an integer of thousands of digits
        long_number = _LONG_NUMBER.search(text)
        line = text.count("\n", 0, long_number.start()) + first_line if long_number else first_line
        raise schedule_error(path, line, "not usable JSON: a number thousands of digits long", "bad-json") from None


_LONG_NUMBER = re.compile(r"\d{1000,}")
_ICAL_FOLD = re.compile(rb"\r?\n[ \t]")


def _decode_ical(data: bytes, path: str) -> str:
    """iCalendar text; a line folded inside a UTF-8 character is unfolded as bytes first.

    RFC 5545 folds lines at 75 octets, and some writers cut a multi-byte character in two there
    (the RFC asks readers to unfold such lines back into the character).
    """
    try:
        return decode(data, path)
    except ScheduleError:
        try:
            return _ICAL_FOLD.sub(b"", data).decode("utf-8-sig")
        except UnicodeDecodeError:
            pass
        raise


def detect_format(data: bytes) -> str | None:
    """The format a schedule's first characters say: XML, iCalendar or JSON (told apart later)."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return "frab-xml"
    if head[:15].upper().startswith(b"BEGIN:VCALENDAR"):
        return "ical"
    if head.startswith((b"{", b"[")):
        return "json"
    return None


def _json_format(document: object, path: str) -> str:
    from .schedule_json import is_schedule_json
    from .sessionize import is_sessionize

    if is_schedule_json(document):
        return "schedule-json"
    if is_sessionize(document):
        return "sessionize"
    if isinstance(document, dict) and "entries" in document:
        raise schedule_error(
            path, 1, "this looks like a playlist listing, not a schedule: give it with --videos PLAYLIST.json", "wrong-format"
        )
    raise schedule_error(
        path,
        1,
        "a JSON file deckgen does not know: neither schedule JSON ('schedule') nor Sessionize ('sessions', 'speakers')",
        "wrong-format",
    )


def read_schedule(path: str | Path, *, format: str | None = None) -> Schedule:
    """Read a schedule file into its events, in schedule order; its format is found from its content.

    `format` (one of `FORMATS`) forces one. Raise `ScheduleError` (at the file and line) for a file
    that cannot be read, is too large, is not the format, or is not safe (XML with a DTD).
    """
    source = Path(path)
    name = str(path)
    if format is not None and format not in FORMATS:
        raise schedule_error(name, None, f"unknown schedule format {format!r} (known: {', '.join(FORMATS)})", "unknown-format")
    data = read_bytes(source, "schedule")
    found = detect_format(data)
    wanted = format or found
    if wanted is None:
        raise schedule_error(
            name,
            1,
            f"not a schedule deckgen knows ({', '.join(FORMATS)}): it starts with neither '<', 'BEGIN:VCALENDAR' nor '{{'",
            "wrong-format",
        )
    try:
        return _read_as(wanted, found, data, name)
    except RecursionError:  # elements or values nested thousands deep
        raise schedule_error(name, None, "not a usable schedule: nested too deeply", "too-deep") from None


def _read_as(wanted: str, found: str | None, data: bytes, name: str) -> Schedule:
    if wanted == "frab-xml":
        from .frab_xml import read_frab_xml

        return read_frab_xml(data, name)
    if wanted == "ical":
        from .ical import read_ical

        if found != "ical":
            raise schedule_error(name, 1, "not an iCalendar file: it does not start with BEGIN:VCALENDAR", "wrong-format")
        return read_ical(_decode_ical(data, name), name)
    text = decode(data, name)
    document = load_json(text, name)
    kind = _json_format(document, name) if wanted == "json" else wanted
    if kind == "sessionize":
        from .sessionize import read_sessionize

        return read_sessionize(document, name)
    from .schedule_json import read_schedule_json

    return read_schedule_json(document, name)
