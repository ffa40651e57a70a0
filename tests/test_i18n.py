"""Every word deckgen writes speaks the deck's language: catalogues, `lang`, `strings`, theme catalogues, dates."""

from __future__ import annotations

import gettext
import importlib.util
import io
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import page_as_shown, talk, write_deck

import deckgen
from deckgen.catalogue import compile_catalogue, read_catalogue, words_for
from deckgen.cli import main
from deckgen.messages import LOCALE_FOLDER, MESSAGES, MONTHS, available_languages, match_language, normal_tag
from deckgen.pofile import CatalogueError, mo_bytes, parse_po

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "es", "ca", "fr", "de", "it", "pt", "nl", "pl", "ja", "zh")


def messages_script():  # type: ignore[no-untyped-def]
    """scripts/messages.py, the catalogues' maintenance script, as a module."""
    spec = importlib.util.spec_from_file_location("deckgen_messages_script", ROOT / "scripts" / "messages.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


class VisibleText(HTMLParser):
    """What a built page shows and says: text outside scripts, styles and speaker notes, and accessible labels."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.labels: list[str] = []
        self._hidden = 0
        self.feed(page_as_shown(html))  # the slides' content, which waits as text until shown, in place

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("script", "style", "aside", "title"):
            self._hidden += 1
        for name in ("aria-label", "alt", "title"):
            if values.get(name):
                self.labels.append(values[name] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "aside", "title"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(data.strip())


# A deck written in Spanish: the author's words are Spanish, deckgen's must follow `lang`.
SPANISH_DECK = """\
title: Resumen de la KubeCon
subtitle: Lo que vimos en Barcelona
event: KubeCon Europa
date: 2019-06-12
author: Grupo de usuarios de Kubernetes
url: https://example.com/resumen
tracks:
  - {name: ops, title: Operaciones, description: Producción real}
  - {name: red, title: Redes}
  - {name: datos, title: Datos}
links:
  - {title: Lista de reproducción, url: "https://example.com/lista"}
"""


def spanish_files() -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"slides/00-intro.md": "## Hola\n\nBienvenida al resumen\n"}
    for index in range(10):  # ten talks of one track: two links pages for it
        links = f"[{{title: Diapositivas {index}, url: 'https://example.com/diapositivas/{index}'}}]"
        files[f"slides/1{index:02}.md"] = talk(f"Charla {index}", "ops", f"https://example.com/video/{index}", links=links)
    files["slides/200.md"] = talk("Mallas de servicio", "red", "https://example.com/video/red", speakers="Ana")
    files["slides/300.md"] = talk("Lagos de datos", "datos", "https://example.com/video/datos", speakers="Joan")
    return files


def author_words(deck_yaml: str, files: dict[str, str | bytes]) -> str:
    return deck_yaml + "".join(text for text in files.values() if isinstance(text, str))


def english_words() -> set[str]:
    """The words of deckgen's own English messages (placeholders left out)."""
    words: set[str] = set()
    for message in MESSAGES:
        for text in (message.msgid, message.plural or ""):
            words.update(re.findall(r"[a-z]+", re.sub(r"%\(\w+\)s", " ", text).lower()))
    return words - {"qr"}  # "QR" is the code's name in every language


def chrome_words(text: str, author: str) -> set[str]:
    """The lower-case words of `text` that the author did not write."""
    own = set(re.findall(r"\w+", author.lower()))
    return {word for word in re.findall(r"[^\W\d_]+", text.lower()) if word not in own}


@pytest.fixture(scope="module")
def spanish_deck(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_deck(tmp_path_factory.mktemp("es") / "deck", SPANISH_DECK, spanish_files())


def build_in(deck: Path, lang: str, out: Path) -> tuple[VisibleText, str, tuple[deckgen.Problem, ...]]:
    """Build `deck` with deck.yaml's `lang` set to `lang`; the page, `deckgen links --format md`, the warnings."""
    page, _, markdown, warnings = build_pages_in(deck, lang, out)
    return page, markdown, warnings


def build_pages_in(deck: Path, lang: str, out: Path) -> tuple[VisibleText, VisibleText, str, tuple[deckgen.Problem, ...]]:
    """As `build_in`, with the links page beside the slides (links.html) too."""
    copy = out.parent / f"deck-{lang}"
    shutil.copytree(deck, copy)
    yaml = (copy / "deck.yaml").read_text(encoding="utf-8")
    (copy / "deck.yaml").write_text(f"{yaml}lang: {lang}\n", encoding="utf-8")
    result = deckgen.build(copy, out)
    page = VisibleText(result.index.read_text(encoding="utf-8"))
    links_page = VisibleText((out / "links.html").read_text(encoding="utf-8"))
    return page, links_page, deckgen.links(copy).as_markdown(), result.warnings


# Words a language writes as English does, by its own dictionaries: German "Links", Dutch "video",
# Polish "link", Brazilian Portuguese "links", French "code" (QR). Any other English word is chrome
# that was not translated.
SHARED_WITH_ENGLISH = {
    "fr": {"code"},
    "de": {"links", "link", "video", "code", "april", "august", "september", "november"},
    "it": {"video"},
    "nl": {"links", "link", "video", "code", "april", "september", "november", "december"},
    "pl": {"link"},
    "pt": {"links", "link"},
}


@pytest.mark.parametrize("lang", [*(lang for lang in LANGUAGES if lang != "en"), "pt-BR", "ca-ES", "zh-Hans-CN"])
def test_no_english_chrome_on_any_slide_label_or_links_export(spanish_deck: Path, tmp_path: Path, lang: str) -> None:
    page, links_page, markdown, warnings = build_pages_in(spanish_deck, lang, tmp_path / "out")
    assert warnings == ()
    author = author_words(SPANISH_DECK, spanish_files())
    english = english_words() - SHARED_WITH_ENGLISH.get(lang.split("-")[0], set())
    found = {
        "slides": chrome_words(" ".join(page.texts), author) & english,
        "labels": chrome_words(" ".join(page.labels), author) & english,
        "links.html": chrome_words(" ".join(links_page.texts + links_page.labels), author) & english,
        "links --format md": chrome_words(markdown, author) & english,
    }
    assert found == {"slides": set(), "labels": set(), "links.html": set(), "links --format md": set()}
    # …and deckgen's words are there, in the language: the closing, the divider's count, a page number.
    words = words_for(lang)
    assert words.gettext("Thank you!") in page.texts
    assert words.ngettext("%(count)s talk", "%(count)s talks", 10) % {"count": 10} in page.texts
    assert words.gettext("%(number)s/%(count)s") % {"number": 3, "count": 3} in page.texts
    assert any(label.startswith(words.gettext("QR code: %(label)s") % {"label": ""}) for label in page.labels)
    assert f"## {words.gettext('More links')}" in markdown


def test_spanish_and_japanese_decks_read_as_such(spanish_deck: Path, tmp_path: Path) -> None:
    page, markdown, _ = build_in(spanish_deck, "es", tmp_path / "es")
    assert {"Temática", "¡Gracias!", "10 charlas", "1 charla", "Enlaces", "Más enlaces", "3/3"} <= set(page.texts)
    assert "Grupo de usuarios de Kubernetes · 12 de junio de 2019" in page.texts
    assert "► vídeo · Operaciones" in page.texts and "enlace · Operaciones" in page.texts
    assert "Código QR: vídeo de Charla 0 https://example.com/video/0" in page.labels
    assert "Código QR: esta presentación https://example.com/resumen" in page.labels
    assert markdown.startswith("# Resumen de la KubeCon: enlaces\n")
    assert "- [Diapositivas 0](https://example.com/diapositivas/0) — de *Charla 0*" in markdown
    page, markdown, _ = build_in(spanish_deck, "ja", tmp_path / "ja")
    assert {"トラック", "ありがとうございました！", "10件の講演", "リンク", "その他のリンク"} <= set(page.texts)
    assert "Grupo de usuarios de Kubernetes · 2019年6月12日" in page.texts
    assert "QRコード：「Charla 0」の動画 https://example.com/video/0" in page.labels
    assert markdown.startswith("# Resumen de la KubeCon：リンク\n")
    # Catalan and French elide "de" before a vowel: a title is quoted instead ("vídeo «Charla 0»").
    page, markdown, _ = build_in(spanish_deck, "ca", tmp_path / "ca")
    assert "Codi QR: vídeo «Charla 0» https://example.com/video/0" in page.labels
    assert "- [Diapositivas 0](https://example.com/diapositivas/0) — de «*Charla 0*»" in markdown
    page, markdown, _ = build_in(spanish_deck, "fr", tmp_path / "fr")
    assert "Code QR\u00a0: vidéo «\u00a0Charla 0\u00a0» https://example.com/video/0" in page.labels


def test_talks_without_a_track_are_grouped_in_the_deck_language(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: Sin temáticas\nlang: ca\n", {"slides/1.md": talk("Una xerrada", video="https://example.com/v")})
    page = VisibleText(deckgen.build(deck, tmp_path / "out").index.read_text(encoding="utf-8"))
    assert "Xerrades" in page.texts and "Talks" not in page.texts
    assert "## Xerrades" in deckgen.links(deck).as_markdown()


def test_every_piece_of_chrome_goes_through_the_catalogue(spanish_deck: Path, tmp_path: Path) -> None:
    """A pseudo-translation (each message as ⟦…⟧, from a theme's catalogue) leaves no word of deckgen's outside the brackets."""
    deck = tmp_path / "deck"
    shutil.copytree(spanish_deck, deck)
    lines = ['msgid ""', 'msgstr "Content-Type: text/plain; charset=UTF-8\\n"']
    for message in MESSAGES:
        lines += ["", *([f'msgctxt "{message.context}"'] if message.context else []), f'msgid "{message.msgid}"']
        if message.plural:
            lines += [f'msgid_plural "{message.plural}"', f'msgstr[0] "⟦{message.msgid}⟧"', f'msgstr[1] "⟦{message.plural}⟧"']
        else:
            lines.append(f'msgstr "⟦{message.msgid}⟧"')
    (deck / "theme" / "locale").mkdir(parents=True)
    (deck / "theme" / "locale" / "en.po").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (deck / "deck.yaml").write_text(SPANISH_DECK + "theme: theme\n", encoding="utf-8")
    page = VisibleText(deckgen.build(deck, tmp_path / "out").index.read_text(encoding="utf-8"))
    markdown = deckgen.links(deck).as_markdown()
    author = author_words(SPANISH_DECK, spanish_files())
    for where, text in (("slides", " ".join(page.texts)), ("labels", " ".join(page.labels)), ("md", markdown)):
        outside = re.sub(r"⟦[^⟧]*⟧", " ", re.sub(r"https://\S+", " ", text))
        assert chrome_words(outside, author) == set(), where
        assert "⟦" in text, where


@pytest.mark.parametrize(
    ("lang", "expected"), [("PT_br", "pt"), ("pt-BR", "pt"), ("zh-Hans-CN", "zh"), ("EN", "en"), ("ca-ES", "ca"), ("sv", None)]
)
def test_a_language_falls_back_to_its_catalogue(lang: str, expected: str | None) -> None:
    assert match_language(lang) == expected
    assert words_for(lang).language == (expected or "en")


def test_tags_are_written_as_bcp_47_does() -> None:
    assert [normal_tag(t) for t in ("pt_br", "ZH-hans-cn", "en", " es-419 ")] == ["pt-BR", "zh-Hans-CN", "en", "es-419"]


def test_an_unsupported_language_warns_builds_in_english_and_fails_with_strict(tmp_path: Path, capsys) -> None:
    deck = write_deck(tmp_path / "deck", "title: Recap\nlang: sv_SE\n", {"slides/1.md": talk("A talk", "x", "https://example.com/v")})
    assert main(["build", str(deck)]) == 0
    err = capsys.readouterr().err
    assert "deck.yaml:2:7: warning: no catalogue for language 'sv_SE'" in err and "supported: ca, de, en, es" in err
    html = (deck / "_site" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="sv-SE">' in html
    assert "Thank you!" in VisibleText(html).texts
    assert main(["build", str(deck), "--strict", "-o", str(tmp_path / "strict")]) == 1
    assert "error: no catalogue for language 'sv_SE'" in capsys.readouterr().err


def test_deck_strings_beat_the_theme_which_beats_the_catalogue(tmp_path: Path) -> None:
    deck_yaml = (
        "title: Recap\nlang: pt-BR\ntheme: ours\ntracks: [{name: a, title: Alfa}]\n"
        "links: [https://example.com/mais]\n"
        "strings:\n  more_links: 'Ainda mais {{links}}'\n  closing: 'Até a próxima!'\n"
        "  talk_count: ['{count} sessão', '{count} sessões']\n  june: JUNHO\n  date: '{month} {day}, {year}'\n"
    )
    theme_po = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Track"\nmsgstr "Trilha"\n\nmsgid "More links"\nmsgstr "Links do tema"\n\nmsgid "Thank you!"\nmsgstr "Valeu!"\n'
    )
    deck = write_deck(
        tmp_path / "deck",
        deck_yaml + "date: 2019-06-12\n",
        {"ours/locale/pt_BR.po": theme_po, "slides/1.md": talk("Uma palestra", "a", "https://example.com/v")},
    )
    result = deckgen.build(deck, tmp_path / "out")
    assert result.warnings == ()
    page = VisibleText(result.index.read_text(encoding="utf-8"))
    assert "Trilha" in page.texts  # the theme's, over the catalogue's "Temática"
    assert "Ainda mais {links}" in page.texts  # the deck's, over the theme's
    assert "Até a próxima!" in page.texts  # the deck's `strings`, over the theme's "Valeu!"
    assert "1 sessão" in page.texts
    assert "JUNHO 12, 2019" in page.texts
    assert "Links" in page.texts  # the catalogue's own, where nobody changed it
    assert not (tmp_path / "out" / "_deckgen" / "themes" / "local" / "locale").exists()  # a catalogue is not published
    (deck / "deck.yaml").write_text(deck_yaml.replace("  closing: 'Até a próxima!'\n", "") + "closing: Tchau\n", encoding="utf-8")
    assert "Tchau" in VisibleText(deckgen.build(deck, tmp_path / "out").index.read_text(encoding="utf-8")).texts


def test_a_strings_text_is_text_not_html(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", "title: R\nstrings: {track: '<b>Room</b> & more'}\n", {"slides/1.md": talk("T", "x", "https://example.com/v")})
    html = deckgen.build(deck, tmp_path / "out").index.read_text(encoding="utf-8")
    assert "&lt;b&gt;Room&lt;/b&gt; &amp; more" in html and "<b>Room</b>" not in html


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("en", {1: "1 talk", 2: "2 talks"}),
        ("pl", {1: "1 wystąpienie", 2: "2 wystąpienia", 5: "5 wystąpień", 12: "12 wystąpień", 22: "22 wystąpienia"}),
        ("fr", {1: "1 présentation", 2: "2 présentations"}),
        ("ja", {1: "1件の講演", 3: "3件の講演"}),
    ],
)
def test_dividers_count_their_talks_in_the_plural_forms_of_the_language(tmp_path: Path, lang: str, counts: dict[int, str]) -> None:
    tracks = [f"t{n}" for n in counts]
    files = {f"slides/{i:02}-{n:02}.md": talk(f"Talk {i} {n}", f"t{i}", f"https://example.com/{i}/{n}") for i in counts for n in range(i)}
    deck = write_deck(tmp_path / "deck", f"title: R\nlang: {lang}\ntracks: {tracks}\n", files)
    page = VisibleText(deckgen.build(deck, tmp_path / "out").index.read_text(encoding="utf-8"))
    assert [text for text in page.texts if text in counts.values()] == list(counts.values())


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "12 June 2019"),
        ("es", "12 de junio de 2019"),
        ("ca", "12 de juny de 2019"),
        ("fr", "12 juin 2019"),
        ("de", "12. Juni 2019"),
        ("it", "12 giugno 2019"),
        ("pt", "12 de junho de 2019"),
        ("nl", "12 juni 2019"),
        ("pl", "12 czerwca 2019"),
        ("ja", "2019年6月12日"),
        ("zh", "2019年6月12日"),
    ],
)
def test_dates_are_written_in_the_language(lang: str, shown: str) -> None:
    assert words_for(lang).date("2019-06-12") == shown


def test_dates_that_are_not_iso_dates_stay_as_written() -> None:
    words = words_for("ca")
    assert words.date("2019-04-01") == "1 d’abril de 2019"
    assert [words.date(text) for text in ("juny 2019", "2019-02-30", "2019-6-12", "")] == ["juny 2019", "2019-02-30", "2019-6-12", ""]


@pytest.mark.parametrize("date", ["2019-06-12", "'2019-06-12'"])
def test_the_title_slide_writes_a_yaml_date_or_an_iso_string_in_the_language(tmp_path: Path, date: str) -> None:
    deck = write_deck(tmp_path / "deck", f"title: R\nlang: es\ndate: {date}\n", {"slides/1.md": "# Hola\n"})
    page = VisibleText(deckgen.build(deck, tmp_path / "out").index.read_text(encoding="utf-8"))
    assert "12 de junio de 2019" in page.texts


@pytest.mark.parametrize("lang", (*LANGUAGES, "pt-BR"))
def test_a_new_deck_in_every_language_builds_with_no_warning(tmp_path: Path, lang: str) -> None:
    folder = tmp_path / "deck"
    deckgen.new_deck(folder, lang=lang)
    assert deckgen.check(folder, strict=True) == ()
    text = (folder / "deck.yaml").read_text(encoding="utf-8")
    assert re.search(rf"^lang: {re.escape(normal_tag(lang))}$", text, re.MULTILINE)
    words = words_for(lang)
    assert words.pgettext("new deck", "Shown under the title.") in text
    intro = (folder / "slides" / "00-intro.md").read_text(encoding="utf-8")
    assert f"## {words.pgettext('new deck', 'Welcome!')}" in intro and "\nNote: " in intro
    if lang != "en":
        assert "Shown under the title." not in text and "Welcome!" not in intro
    result = deckgen.build(folder, tmp_path / "out")
    assert words.gettext("Thank you!") in VisibleText(result.index.read_text(encoding="utf-8")).texts


def test_new_with_lang_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "es"), "--lang", "es"]) == 0
    assert "lang: es\n" in (tmp_path / "es" / "deck.yaml").read_text(encoding="utf-8")
    assert 'title: "Resumen de la conferencia"' in (tmp_path / "es" / "deck.yaml").read_text(encoding="utf-8")
    assert main(["new", str(tmp_path / "sv"), "--lang", "sv"]) == 0
    assert "warning: no catalogue for language 'sv'" in capsys.readouterr().err
    assert "# The deck's title (required)" in (tmp_path / "sv" / "deck.yaml").read_text(encoding="utf-8")


def test_catalogues_are_up_to_date_complete_and_for_every_promised_language() -> None:
    script = messages_script()
    assert set(LANGUAGES) <= set(available_languages())
    for path, text in script.updated_catalogues().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is out of date: run scripts/messages.py"
    for path in sorted(LOCALE_FOLDER.glob("*.po")):
        assert script.untranslated(path) == []
    # every message of the pages is in the registry, so deck.yaml's `strings` can change it
    used = {(m.context, m.msgid) for m in script.all_messages() if m.context != "new deck" and m.places != ["src/deckgen/messages.py"]}
    registry = {(m.context, m.msgid) for m in MESSAGES}
    assert used <= registry
    assert registry - used == {("date", month) for month in MONTHS}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt is not installed (apt-get install gettext)")
@pytest.mark.parametrize("path", sorted(LOCALE_FOLDER.glob("*.po")), ids=lambda p: p.stem)
def test_gnu_msgfmt_checks_each_catalogue_and_compiles_it_as_deckgen_does(path: Path, tmp_path: Path) -> None:
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "gnu.mo"), str(path)], check=True, capture_output=True)
    gnu = gettext.GNUTranslations(io.BytesIO((tmp_path / "gnu.mo").read_bytes()))
    ours = gettext.GNUTranslations(io.BytesIO(compile_catalogue(path.read_bytes(), path)))
    assert gnu.info() == ours.info()
    for entry in parse_po(path.read_text(encoding="utf-8")):
        if entry.plural is not None:
            for count in range(30):
                assert ours.ngettext(entry.msgid, entry.plural, count) == gnu.ngettext(entry.msgid, entry.plural, count)
        elif entry.context is not None:
            assert ours.pgettext(entry.context, entry.msgid) == gnu.pgettext(entry.context, entry.msgid) == entry.strings[0]
        elif entry.msgid:
            assert ours.gettext(entry.msgid) == gnu.gettext(entry.msgid) == entry.strings[0]


def test_the_plural_forms_of_each_catalogue() -> None:
    def forms(lang: str) -> list[str]:
        words = words_for(lang)
        return [words.ngettext("%(count)s talk", "%(count)s talks", n) % {"count": n} for n in (0, 1, 2, 5)]

    assert forms("es") == ["0 charlas", "1 charla", "2 charlas", "5 charlas"]
    assert forms("fr") == ["0 présentation", "1 présentation", "2 présentations", "5 présentations"]
    assert forms("pl") == ["0 wystąpień", "1 wystąpienie", "2 wystąpienia", "5 wystąpień"]
    assert forms("zh") == ["0 场演讲", "1 场演讲", "2 场演讲", "5 场演讲"]


def test_the_po_reader() -> None:
    text = (
        '# a translator comment\nmsgid ""\nmsgstr ""\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#, fuzzy\nmsgid "Links"\nmsgstr "Enlaces"\n\n'
        'msgctxt "date"\nmsgid "June"\nmsgstr "ju"\n"nio"\n\n'
        'msgid "%(count)s talk"\nmsgid_plural "%(count)s talks"\nmsgstr[0] "%(count)s charla"\nmsgstr[1] "%(count)s charlas"\n\n'
        'msgid "Say \\"hi\\"\\n"\nmsgstr "Di \\"hola\\"\\n"\n#~ msgid "old"\n#~ msgstr "viejo"\n'
    )
    entries = parse_po(text)
    assert [(e.context, e.msgid, e.strings, e.fuzzy, e.line) for e in entries[1:]] == [
        (None, "Links", ("Enlaces",), True, 7),
        ("date", "June", ("junio",), False, 11),
        (None, "%(count)s talk", ("%(count)s charla", "%(count)s charlas"), False, 15),
        (None, 'Say "hi"\n', ('Di "hola"\n',), False, 20),
    ]
    translations = gettext.GNUTranslations(io.BytesIO(mo_bytes(entries)))
    assert translations.gettext("Links") == "Links"  # fuzzy: not used, as msgfmt does
    assert translations.pgettext("date", "June") == "junio"
    assert translations.ngettext("%(count)s talk", "%(count)s talks", 2) == "%(count)s charlas"


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', 3, "given twice"),
        ('msgid "a"\nmsgstr "\\q"\n', 2, "unknown escape"),
        ('msgid "a"\nmsgstr[0] "b"\n', 1, "without msgid_plural"),
        ('msgstr "b"\n', 1, "before the entry's msgid"),
        ('msgid "a"\nmsgstr "b" "c"\n', 2, "double quote"),
        ('msgid "a"\nmsgid_plural "as"\nmsgstr[1] "b"\n', 1, "none missing"),
        ('msgid "a"\nnonsense\n', 2, "expected msgctxt"),
    ],
)
def test_the_po_reader_says_where_a_catalogue_is_wrong(text: str, line: int, reason: str) -> None:
    with pytest.raises(CatalogueError) as caught:
        parse_po(text)
    assert caught.value.line == line and reason in caught.value.reason


def test_a_catalogue_edited_after_it_was_compiled_is_compiled_anew(tmp_path: Path) -> None:
    """The compiled catalogues are found by a digest of their source: an edited `.po` never gets a stale one."""
    compiled = tmp_path / "compiled"
    compiled.mkdir()
    source = LOCALE_FOLDER / "es.po"
    edited = tmp_path / "es.po"
    edited.write_text(source.read_text(encoding="utf-8").replace('msgstr "Temática"', 'msgstr "Sala"'), encoding="utf-8")
    from deckgen.catalogue import compiled_name

    (compiled / compiled_name("es", source.read_bytes())).write_bytes(compile_catalogue(source.read_bytes(), source))
    assert read_catalogue(source, compiled).gettext("Track") == "Temática"
    assert read_catalogue(edited, compiled).gettext("Track") == "Sala"


def test_messages_to_the_author_stay_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(tmp_path / "deck", "title: R\nlang: es\nstrings: {trak: x}\n", {"slides/1.md": talk("T", "x", "https://example.com/v")})
    assert main(["build", str(deck)]) == 0
    captured = capsys.readouterr()
    assert "warning: unknown key 'trak' in strings (did you mean 'track'?)" in captured.err
    assert captured.out.startswith("built ") and " slides, " in captured.out


def test_the_readme_documents_every_strings_key() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for message in MESSAGES:
        if message.context != "date":
            assert f"| `{message.key}` |" in readme, message.key
    assert "| `january` … `december` |" in readme
