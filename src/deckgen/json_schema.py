"""`deckgen schema`: JSON Schema (2020-12) for deck.yaml and for talk front-matter, made from `schema.py`.

Each key's kind gives its type (`KIND_SCHEMAS`, one entry per kind, as `schema.READERS` has one
reader per kind) and its `doc` the description, so a key declared in `schema.py` appears here.

Values are described as deckgen reads YAML: a text key takes a number or a date as its text, and an
empty value (`key:` alone) is the same as leaving the key out. Unknown keys are refused
(`additionalProperties: false`): deckgen warns about them and `--strict` makes them errors, and an
editor's mark is how a misspelt key gets seen before the build; `reveal` stays open, as deckgen
passes it through unread.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from .messages import MESSAGES, available_languages
from .schema import DECK_KEYS, LINK_KEYS, PLAIN_KEYS, TALK_KEYS, TALK_MARKERS, TRACK_KEYS, Key, Kind
from .themefolder import BUILTIN_THEMES
from .version import __version__

SchemaName = Literal["deck", "talk"]
SCHEMA_NAMES: tuple[SchemaName, ...] = ("deck", "talk")
DRAFT = "https://json-schema.org/draft/2020-12/schema"
DECK_SCHEMA_FILE = "deck.schema.json"
"""The schema `deckgen new` writes beside deck.yaml, named by deck.yaml's first line for editors."""

_SPACE = r"\s\u001c-\u001f\u0085"
"""White space as Python's `str.isspace` knows it (the URL check's), for regex engines whose `\\s` lacks some."""
_HOST_CHAR = rf"[^{_SPACE}/?#\[\]]"
URL_PATTERN = (
    rf"^[Hh][Tt][Tt][Pp][Ss]?://(?:{_HOST_CHAR}+|{_HOST_CHAR}*\[{_HOST_CHAR}+\]{_HOST_CHAR}*)(?:[/?#][^{_SPACE}]*)?$"
)
"""An absolute http:// or https:// URL with a host and no white space (`schema.url_problem`); a host
in brackets (IPv6) is not checked further."""

_YAML_DATE: dict[str, Any] = {"not": {"type": ["string", "number", "boolean", "null", "object", "array"]}}
"""A YAML date as a YAML 1.1 reader gives it to a validator (PyYAML's `yaml.safe_load`: a date
object, of no JSON type). A JSON document or a YAML 1.2 reader never holds one: there it is a string."""
_TEXT: dict[str, Any] = {"anyOf": [{"type": ["string", "number"]}, _YAML_DATE]}
_NAME: dict[str, Any] = {"anyOf": [{"type": "string"}, _YAML_DATE]}
_URL: dict[str, Any] = {"type": "string", "pattern": URL_PATTERN, "patternErrorMessage": "an http:// or https:// URL"}

KIND_SCHEMAS: dict[Kind, dict[str, Any]] = {
    "text": _TEXT,
    "speakers": {"anyOf": [*_NAME["anyOf"], {"type": "array", "items": _NAME}]},
    "url": _URL,
    "links": {"type": "array", "items": {"anyOf": [_URL, {"$ref": "#/$defs/link"}]}},
    "tracks": {"type": "array", "items": {"anyOf": [_TEXT, {"$ref": "#/$defs/track"}]}, "uniqueItems": True},
    "mapping": {"type": "object"},
    "bool": {"type": "boolean"},
    "paths": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "lang": _TEXT,
    "strings": {
        "type": "object",
        "properties": {
            message.key: {
                "description": f"{message.doc[:1].upper()}{message.doc[1:]}.",
                **({"anyOf": [_TEXT, {"type": "array", "items": _TEXT, "minItems": 1}]} if message.plural else _TEXT),
            }
            for message in MESSAGES
        },
        "additionalProperties": False,
    },
    "choice": {"type": "string"},
}
"""The JSON Schema of each kind of value (see `schema.Kind`); a YAML date is a string to JSON Schema, or
`_YAML_DATE` where a text is taken."""


def supported_languages() -> tuple[str, ...]:
    """The languages deckgen has its own words in, offered for deck.yaml's `lang` (any other tag stays allowed)."""
    return available_languages()


def _suggestions(keys: tuple[Key, ...]) -> dict[str, tuple[str, ...]]:
    """Values an editor offers for some keys; other values stay allowed (a theme may be a folder)."""
    if keys is not DECK_KEYS:
        return {}
    return {"theme": BUILTIN_THEMES, "lang": supported_languages()}


def _with_null(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema`, or empty: deckgen reads an empty value as a key not given."""
    if "anyOf" in schema:
        return {**schema, "anyOf": [*schema["anyOf"], {"type": "null"}]}
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if "enum" in schema:
        return {**schema, "type": [*types, "null"], "enum": [*schema["enum"], None]}
    return {**schema, "type": [*types, "null"]}


def key_schema(key: Key, suggested: tuple[str, ...] = ()) -> dict[str, Any]:
    """One key's schema: its kind's, described by its doc; a required key must not be empty."""
    schema = dict(KIND_SCHEMAS[key.kind])
    if key.choices:
        schema["enum"] = list(key.choices)
    if suggested:
        schema = {"anyOf": [{"enum": list(suggested)}, schema]}
    if key.required:
        schema["minLength"] = 1  # only strings have a length: an empty string is no value
    else:
        schema = _with_null(schema)
    return {"description": key.doc, **schema} if key.doc else schema


def object_schema(keys: tuple[Key, ...], description: str = "") -> dict[str, Any]:
    """A mapping of `keys`: each described, the required ones required, no others."""
    suggested = _suggestions(keys)
    schema: dict[str, Any] = {"description": description} if description else {}
    schema["type"] = "object"
    schema["properties"] = {key.name: key_schema(key, suggested.get(key.name, ())) for key in keys}
    required = [key.name for key in keys if key.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _document(title: str, description: str) -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": title,
        "description": f"{description} Made by `deckgen schema` (deckgen {__version__}); "
        "unknown keys are refused, as `deckgen check --strict` refuses them.",
    }


def _link_schema() -> dict[str, Any]:
    return object_schema(LINK_KEYS, "A link: its URL, and the title the links pages show.")


def _track_schema() -> dict[str, Any]:
    return object_schema(TRACK_KEYS, "A track: the name talks give, and what its divider slide shows.")


def deck_schema() -> dict[str, Any]:
    """The JSON Schema of deck.yaml."""
    defs = {"link": _link_schema(), "track": _track_schema()}
    return {**_document("deckgen deck.yaml", "The settings of a deckgen recap deck."), **object_schema(DECK_KEYS), "$defs": defs}


def talk_schema() -> dict[str, Any]:
    """The JSON Schema of a Markdown file's front-matter: a talk's keys when it has `video` or `track`, else a plain file's."""
    is_talk = {"anyOf": [{"required": [marker]} for marker in TALK_MARKERS]}
    description = (
        "The front-matter of a Markdown file under slides/: a talk when it has "
        f"{' or '.join(TALK_MARKERS)}, else a file of plain slides (title, class)."
    )
    talk, plain = object_schema(TALK_KEYS, "A talk's front-matter."), object_schema(PLAIN_KEYS, "The front-matter of plain slides.")
    for branch in (talk, plain):
        del branch["type"]  # said once, above: an empty front-matter (null) is none at all
    return {
        **_document("deckgen talk front-matter", description),
        "type": ["object", "null"],
        "if": is_talk,
        "then": talk,
        "else": plain,
        "$defs": {"link": _link_schema()},
    }


def _json(value: object, indent: str = "") -> str:
    """JSON indented by structure, a list of plain values on one line (`"type": ["string", "null"]`)."""
    inner = indent + "  "
    if isinstance(value, dict) and value:
        members = [f"{inner}{json.dumps(key)}: {_json(item, inner)}" for key, item in value.items()]
        return "{\n" + ",\n".join(members) + f"\n{indent}}}"
    if isinstance(value, list) and any(isinstance(item, (dict, list)) for item in value):
        return "[\n" + ",\n".join(inner + _json(item, inner) for item in value) + f"\n{indent}]"
    return json.dumps(value, ensure_ascii=False)


def schema_text(name: SchemaName) -> str:
    """The schema called `name` as JSON text, ending in a newline."""
    return _json(deck_schema() if name == "deck" else talk_schema()) + "\n"
