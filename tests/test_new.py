"""`deckgen new`: a skeleton deck that builds as it is, and never overwrites anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers import PageInspector
from hypothesis import given, settings
from hypothesis import strategies as st

import deckgen
from deckgen.cli import main
from deckgen.schema import DECK_KEYS, TALK_KEYS


def test_new_then_build_gives_a_deck_with_no_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "next-recap"
    assert main(["new", str(deck), "--title", "KubeCon Europe 2020"]) == 0
    out = capsys.readouterr().out
    assert f"created {deck}: deck.schema.json, deck.yaml, slides/00-intro.md, slides/10-example-talk.md" in out
    assert main(["build", str(deck)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert main(["check", str(deck), "--strict"]) == 0
    assert not list((deck / "_site").rglob("*.schema.json")), "the editor's schema is not part of the deck"
    page = PageInspector((deck / "_site" / "index.html").read_text(encoding="utf-8"))
    assert page.kinds() == ["title", "plain", "plain", "divider", "talk", "talk", "talk", "links", "closing"]
    assert "KubeCon Europe 2020" in page.texts
    assert "https://example.com/your-talk-video" in page.qr_links


def test_deck_yaml_shows_and_explains_every_key(tmp_path: Path) -> None:
    deckgen.new_deck(tmp_path / "d")
    text = (tmp_path / "d" / "deck.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for key in DECK_KEYS:
        at = [i for i, line in enumerate(lines) if re.match(rf"^(# )?{key.name}:", line)]
        assert at, f"deck.yaml does not show '{key.name}'"
        assert lines[at[0] - 1].startswith("#"), f"'{key.name}' has no comment above it"
    settings_ = yaml.safe_load(text)
    assert settings_["title"] == "Conference recap"
    assert [t["name"] for t in settings_["tracks"]] == ["keynotes", "talks"]


def test_the_example_talk_uses_every_talk_key_and_a_documentation_url(tmp_path: Path) -> None:
    deckgen.new_deck(tmp_path / "d")
    deck = deckgen.load_deck(tmp_path / "d")
    (talk,) = deck.talks
    assert talk.video == "https://example.com/your-talk-video"
    assert talk.track == "keynotes" and talk.speakers and talk.links
    front = (tmp_path / "d" / "slides" / "10-example-talk.md").read_text(encoding="utf-8").split("---\n")[1]
    assert {key.name for key in TALK_KEYS} - {"class"} <= set(yaml.safe_load(front))


@settings(max_examples=40, deadline=None)
@given(title=st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(lambda t: t.strip() == t and t))
def test_any_title_survives_yaml(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    folder = tmp_path_factory.mktemp("titled") / "deck"
    deckgen.new_deck(folder, title=title)
    assert deckgen.load_deck(folder).title == title


@pytest.mark.parametrize("title", ['Say "hi": #1 {{ x }}', "- a list?", "yes", "null", "Ünïcødé ✓ 🎉", "two\nlines"])
def test_yaml_special_titles(tmp_path: Path, title: str) -> None:
    deckgen.new_deck(tmp_path / "deck", title=title)
    assert deckgen.load_deck(tmp_path / "deck").title == title


def test_refuses_a_folder_that_holds_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = tmp_path / "old-recap"
    deck.mkdir()
    (deck / "deck.yaml").write_text("title: Precious\n", encoding="utf-8")
    assert main(["new", str(deck)]) == 1
    err = capsys.readouterr().err
    assert f"{deck}: error: the folder exists and is not empty" in err and "[deckgen.deck-exists]" in err
    assert "Traceback" not in err
    assert sorted(p.name for p in deck.iterdir()) == ["deck.yaml"]
    assert (deck / "deck.yaml").read_text(encoding="utf-8") == "title: Precious\n"


def test_refuses_a_file_and_an_empty_title_but_takes_an_empty_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["new", str(tmp_path / "file")]) == 1
    assert main(["new", str(tmp_path / "untitled"), "--title", " "]) == 1
    assert not (tmp_path / "untitled").exists()
    assert "[deckgen.empty-title]" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["new", str(tmp_path / "empty")]) == 0
    assert (tmp_path / "empty" / "deck.yaml").is_file()


@pytest.mark.parametrize("word", ["keynotes", "es", "2019-06-12", "2021-02-30", "2019-13-01", "yes", "1"])
def test_a_word_written_as_yaml_reads_back_as_the_same_text_in_any_yaml_reader(word: str) -> None:
    from deckgen.scaffold import yaml_word

    written = yaml_word(word)
    assert yaml.safe_load(f"key: {written}") == {"key": word}  # PyYAML raises on a plain 2021-02-30: it is quoted
