"""`deckgen schema`: JSON Schema made from schema.py, validated by a real validator against good and bad decks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
import yaml
from helpers import write_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.utils import read_fixture_file
from schema_agreement import as_json, disagreements, documents, schema_errors

import deckgen
from deckgen import cli
from deckgen.json_schema import KIND_SCHEMAS, SCHEMA_NAMES, URL_PATTERN, deck_schema, talk_schema
from deckgen.schema import DECK_KEYS, LINK_KEYS, PLAIN_KEYS, READERS, TALK_KEYS, TRACK_KEYS, Key, Kind, url_problem
from deckgen.themefolder import BUILTIN_THEMES

FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = FIXTURES.parents[1] / "examples" / "kubecon-eu-2019"
ERROR_CASES = read_fixture_file(FIXTURES / "errors.txt")


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_the_command_prints_a_2020_12_schema(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", name]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(printed)
    assert printed == (deck_schema() if name == "deck" else talk_schema())
    assert cli.SCHEMA_CHOICES == SCHEMA_NAMES


def test_an_unknown_schema_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["schema", "theme"]) == 2
    assert "invalid choice: 'theme'" in capsys.readouterr().err


def test_every_kind_has_one_reader_and_one_schema() -> None:
    kinds = set(get_args(Kind))
    assert set(READERS) == kinds == set(KIND_SCHEMAS)
    used = {key.kind for keys in (DECK_KEYS, TALK_KEYS, PLAIN_KEYS, TRACK_KEYS, LINK_KEYS) for key in keys}
    assert used == kinds, "a kind no key has"


def _object_schemas() -> list[tuple[tuple[Key, ...], dict[str, Any]]]:
    deck, talk = deck_schema(), talk_schema()
    return [
        (DECK_KEYS, deck),
        (TALK_KEYS, talk["then"]),
        (PLAIN_KEYS, talk["else"]),
        (TRACK_KEYS, deck["$defs"]["track"]),
        (LINK_KEYS, deck["$defs"]["link"]),
        (LINK_KEYS, talk["$defs"]["link"]),
    ]


@pytest.mark.parametrize("keys,schema", _object_schemas())
def test_every_key_of_schema_py_is_described_with_its_doc(keys: tuple[Key, ...], schema: dict[str, Any]) -> None:
    assert list(schema["properties"]) == [key.name for key in keys]
    for key in keys:
        assert key.doc, f"'{key.name}' has no doc for editors to show"
        assert schema["properties"][key.name]["description"] == key.doc
    assert schema.get("required", []) == [key.name for key in keys if key.required]
    assert schema["additionalProperties"] is False


def test_a_key_added_to_schema_py_appears_in_the_schema(monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.json_schema as made

    monkeypatch.setattr(made, "DECK_KEYS", (*DECK_KEYS, Key("sponsor", "url", doc="Who paid for the pizza.")))
    sponsor = made.deck_schema()["properties"]["sponsor"]
    assert sponsor["description"] == "Who paid for the pizza."
    assert sponsor["pattern"] == URL_PATTERN


def test_themes_are_offered_and_a_theme_folder_still_allowed() -> None:
    validator = jsonschema.Draft202012Validator(deck_schema())
    [offered] = [choice["enum"] for choice in deck_schema()["properties"]["theme"]["anyOf"] if "enum" in choice]
    assert tuple(offered) == BUILTIN_THEMES
    for theme in (*BUILTIN_THEMES, "themes/ours", None):
        assert validator.is_valid({"title": "T", "theme": theme})
    assert not validator.is_valid({"title": "T", "theme": ["default"]})


# Good decks: every file the loader reads is valid, and nothing is refused.


def _good_decks(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    scaffold = tmp_path_factory.mktemp("new") / "deck"
    deckgen.new_deck(scaffold, title="A new recap")
    return [EXAMPLE, FIXTURES / "feature-deck", FIXTURES / "golden-deck", scaffold]


def test_the_example_the_fixtures_and_a_new_deck_are_valid(tmp_path_factory: pytest.TempPathFactory) -> None:
    for deck in _good_decks(tmp_path_factory):
        assert deckgen.check(deck, strict=True) == ()
        docs = documents(deck)
        assert "deck.yaml" in docs and any(name == "talk" for name, _ in docs.values()), deck
        for rel, (name, value) in docs.items():
            assert schema_errors(name, value) == [], f"{deck.name}/{rel}"


def test_a_new_deck_carries_the_schema_its_first_line_names(tmp_path: Path) -> None:
    deckgen.new_deck(tmp_path / "deck")
    first = (tmp_path / "deck" / "deck.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=deck.schema.json"
    written = json.loads((tmp_path / "deck" / "deck.schema.json").read_text(encoding="utf-8"))
    assert written == deck_schema()


# Bad decks: the golden error cases, each file judged by the schema and by deckgen alike.


@pytest.mark.parametrize("line,title,spec,expected", ERROR_CASES, ids=[c[1] for c in ERROR_CASES])
def test_schema_and_loader_agree_on_the_bad_decks(line: int, title: str, spec: str, expected: str, tmp_path: Path) -> None:
    write_case(tmp_path / "deck", spec)
    assert disagreements(tmp_path / "deck") == []


def test_the_bad_decks_the_schema_refuses(tmp_path: Path) -> None:
    """The agreement above is not empty: these golden cases are refused by the schema itself."""
    refused = set()
    for index, (_, title, spec, _) in enumerate(ERROR_CASES):
        write_case(tmp_path / str(index), spec)
        if any(schema_errors(name, value) for name, value in documents(tmp_path / str(index)).values()):
            refused.add(title)
    assert {
        "front-matter that is not a mapping",
        "deck.yaml that is not a mapping",
        "deck.yaml without title",
        "talk without title",
        "wrong types in a talk",
        "unknown keys are warnings with did-you-mean",
        "URLs: only http and https",
    } <= refused


BAD_SETTINGS = [
    ({"subtitle": "no title"}, "(top)"),
    ({"title": ""}, "title"),
    ({"title": None}, "title"),
    ({"title": True}, "title"),
    ({"title": "T", "url": "ftp://example.com/deck"}, "url"),
    ({"title": "T", "url": "javascript:alert(1)"}, "url"),
    ({"title": "T", "url": "example.com/deck"}, "url"),
    ({"title": "T", "url": "https://example.com/a deck"}, "url"),
    ({"title": "T", "links": ["mailto:someone@example.com"]}, "links/0"),
    ({"title": "T", "links": [{"title": "no url"}]}, "links/0"),
    ({"title": "T", "tracks": "keynotes"}, "tracks"),
    ({"title": "T", "tracks": [{"title": "no name"}]}, "tracks/0"),
    ({"title": "T", "tracks": ["a", "a"]}, "tracks"),
    ({"title": "T", "html": "yes please"}, "html"),
    ({"title": "T", "reveal": ["fade"]}, "reveal"),
    ({"title": "T", "slides": []}, "slides"),
    ({"title": "T", "slides": [1]}, "slides/0"),
    ({"title": "T", "subtitel": "typo"}, "(top)"),
]


@pytest.mark.parametrize("settings_,where", BAD_SETTINGS)
def test_bad_deck_settings_are_refused_at_their_key(settings_: dict[str, Any], where: str, tmp_path: Path) -> None:
    errors = schema_errors("deck", settings_)
    assert errors and all(error.startswith(f"{where}:") for error in errors), errors
    deck = tmp_path / "deck"
    write_case(deck, ">>> deck.yaml\n" + yaml.safe_dump(settings_) + ">>> slides/1.md\n# One\n")
    assert any(p.is_error for p in deckgen.check(deck, strict=True))
    assert disagreements(deck) == []


BAD_FRONT_MATTER = [
    {"video": "https://example.com/v"},  # a talk with no title
    {"title": "T", "video": "file:///etc/passwd"},
    {"title": "T", "track": ["a", "b"]},
    {"title": "T", "track": "a", "speakers": [{"name": "Ann"}]},
    {"title": "T", "track": "a", "speakers": 42},
    {"title": "T", "track": "a", "links": "https://example.com/slides"},
    {"title": "T", "track": "a", "vidoe": "https://example.com/v"},
    {"title": "Plain slides", "speakers": "a talk's key in a file that is no talk"},
    ["a list"],
]


@pytest.mark.parametrize("front", BAD_FRONT_MATTER)
def test_bad_front_matter_is_refused(front: object) -> None:
    assert schema_errors("talk", front)


def test_draft_07_validators_judge_alike(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The README says editors whose YAML server knows only draft-07 read the schema too."""
    instances = [("deck", value) for value, _ in BAD_SETTINGS] + [("talk", front) for front in BAD_FRONT_MATTER]
    for deck in _good_decks(tmp_path_factory):
        instances += documents(deck).values()
    for name, value in instances:
        schema = deck_schema() if name == "deck" else talk_schema()
        draft_07 = jsonschema.Draft7Validator({**schema, "$schema": "http://json-schema.org/draft-07/schema#"})
        assert draft_07.is_valid(value) == jsonschema.Draft202012Validator(schema).is_valid(value), (name, value)
    assert not any(jsonschema.Draft7Validator(deck_schema()).is_valid(value) for value, _ in BAD_SETTINGS)


def test_plain_and_empty_front_matter_is_valid() -> None:
    for front in (None, {}, {"title": "Intro", "class": "center"}, {"title": "T", "track": "a", "class": "small"}):
        assert schema_errors("talk", front) == []


# Any value, in any key: what the schema says is what deckgen says.

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-5, 2030)
    # Not 1.0 beside 1: two tracks to deckgen, one value to JSON Schema's uniqueItems (see json_schema.py).
    | st.floats(allow_nan=False, allow_infinity=False, width=16).filter(lambda number: not number.is_integer())
    | st.dates()
    | st.sampled_from(["", "keynotes", "default", "kubecon", "2019", "yes", "a b", "https://example.com/v", "http://", "pt-BR"])
    | st.sampled_from(["links", "deck"])
    | st.sampled_from(["%(count)s talks", "%(nope)s"])
    | st.sampled_from(
        [
            "HTTPS://EXAMPLE.COM/x",
            "https://[::1]/talk",
            "https://example.com/path with space",
            "ftp://example.com/f",
            "data:text/html,hi",
            "//example.com/no-scheme",
            "https://example.com?q",
            "https://user@example.com:8443/#frag",
            "https://例え.jp/動画",
            "https:/example.com",
        ]
    )
    | st.text(max_size=8)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["name", "title", "url", "description", "x", "closing", "talk_count"]), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    deck_settings=st.dictionaries(st.sampled_from([*(key.name for key in DECK_KEYS), "subtitel", "speakers"]), _values, max_size=4),
    front=st.dictionaries(st.sampled_from([*(key.name for key in TALK_KEYS), "vidoe", "author"]), _values, max_size=4),
)
def test_schema_and_loader_agree_on_any_values(
    tmp_path_factory: pytest.TempPathFactory, deck_settings: dict[str, Any], front: dict[str, Any]
) -> None:
    deck = tmp_path_factory.mktemp("any") / "deck"
    deck_settings.setdefault("title", "T")
    deck_yaml = yaml.safe_dump(deck_settings, allow_unicode=True)
    write_case(deck, f">>> deck.yaml\n{deck_yaml}>>> slides/1.md\n---\n{yaml.safe_dump(front, allow_unicode=True)}---\n# One\n")
    assert disagreements(deck) == []


def test_urls_the_pattern_and_the_loader_judge_alike() -> None:
    import re

    urls = [
        "https://example.com", "http://example.com/a?b#c", "HTTP://EXAMPLE.COM", "https://[2001:db8::1]:8443/x",
        "https://例え.jp/動画", "https://", "https:///path", "https:example.com", "ftp://example.com", "mailto:a@example.com",
        "https://exa mple.com", "https://example.com/\u3000", "https://example.com/\x1c", " https://example.com", "https://[::1",
        "https://example.com]", "www.example.com", "", "https://?q", "https://#f", "https://a@b",
    ]  # fmt: skip
    for url in urls:
        assert (re.search(URL_PATTERN, url) is not None) == (url_problem(url) is None), url


def test_yaml_dates_are_text_for_both() -> None:
    value = as_json(yaml.safe_load("date: 2019-05-23\ntracks: [2019-05-20]\nspeakers: 2019-01-01"))
    assert value == {"date": "2019-05-23", "tracks": ["2019-05-20"], "speakers": "2019-01-01"}
    assert schema_errors("deck", {"title": "T", **{k: v for k, v in value.items() if k != "speakers"}}) == []  # type: ignore[union-attr]


def test_yaml_dates_as_pyyaml_reads_them_are_text_too() -> None:
    """A Python tool validates `yaml.safe_load`'s result, where an unquoted date is a date object."""
    value = yaml.safe_load("title: 2019-06-12\ndate: 2019-05-23\ntracks: [2019-05-20]\nlinks: [{title: 2019-01-02, url: 'https://example.com'}]")
    assert schema_errors("deck", value) == []
    talk = yaml.safe_load("title: T\ntrack: 2019-05-20\nspeakers: [2019-01-01, Ana]\nvideo: https://example.com/v")
    assert schema_errors("talk", talk) == []
    assert schema_errors("talk", {**talk, "speakers": 2019}) != []  # still not any value: a number is no name
    assert schema_errors("deck", {**value, "url": value["date"]}) != []  # nor a URL


@pytest.mark.parametrize("deck_yaml", sorted((FIXTURES.parents[1] / "examples").glob("*/deck.yaml")), ids=lambda path: path.parent.name)
def test_the_examples_deck_yaml_as_pyyaml_reads_it(deck_yaml: Path) -> None:
    assert schema_errors("deck", yaml.safe_load(deck_yaml.read_text(encoding="utf-8"))) == []
