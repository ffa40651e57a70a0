"""Themes: a user's theme overrides one block or a whole template; built-in templates come compiled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest
from helpers import page_as_shown, talk, write_deck

import deckgen
from deckgen.precompiled import module_name, precompiled_code
from deckgen.themes import BASE_THEME, find_theme, make_environment, themes_root

DECK_YAML = "title: Themed\ntracks: [main]\ntheme: {theme}\n"


def themed_deck(root: Path, theme: str, theme_files: dict[str, str]) -> Path:
    files: dict[str, str | bytes] = {f"themes/ours/{name}": text for name, text in theme_files.items()}
    files["slides/01-talk.md"] = talk("A talk", "main", "https://example.com/v", body="# First slide\n")
    return write_deck(root, DECK_YAML.format(theme=theme), files)


def base_templates() -> list[str]:
    folder = themes_root() / BASE_THEME
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))


def test_a_user_theme_changes_one_block_and_keeps_the_rest(tmp_path: Path) -> None:
    override = '{% extends "base/slides/talk.html" %}{% block footer %}<footer class="ours">{{ talk.title }} here</footer>{% endblock %}'
    deck = themed_deck(tmp_path / "deck", "themes/ours", {"slides/talk.html": override, "theme.css": ".ours { color: red; }"})
    result = deckgen.build(deck, tmp_path / "out")
    page = page_as_shown((tmp_path / "out" / "index.html").read_text(encoding="utf-8"))
    assert '<footer class="ours">A talk here</footer>' in page
    assert "dg-video-line" not in page  # the base footer is replaced, not added to
    assert "<h1>First slide</h1>" in page and "dg-qr" in page  # the rest of the base template
    assert (tmp_path / "out" / "_deckgen" / "themes" / "local" / "theme.css").is_file()
    assert result.talk_count == 1


def test_a_user_theme_extends_the_theme_its_theme_yaml_names(tmp_path: Path) -> None:
    deck = themed_deck(tmp_path / "deck", "themes/ours", {"theme.yaml": "extends: kubecon\n", "theme.css": ""})
    deckgen.build(deck, tmp_path / "out")
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "_deckgen/themes/kubecon/theme.css" in page
    assert "_deckgen/themes/default/theme.css" not in page


@pytest.mark.parametrize("name", base_templates())
def test_every_built_in_template_comes_compiled_under_both_its_names(name: str) -> None:
    path = themes_root() / BASE_THEME / name
    source = path.read_bytes().decode("utf-8")
    for loaded_as in (name, f"{BASE_THEME}/{name}"):
        code = precompiled_code(loaded_as, source, str(path))
        assert code is not None, f"no compiled module for {loaded_as} (was the package built with its hook?)"
        assert code.co_filename == str(path)  # errors and tracebacks name the template, not the module


def test_a_changed_template_is_never_served_old_code() -> None:
    path = themes_root() / BASE_THEME / "slides" / "talk.html"
    source = path.read_bytes().decode("utf-8")
    assert precompiled_code("slides/talk.html", source + " ", str(path)) is None
    assert module_name("slides/talk.html", source) != module_name("slides/talk.html", source + " ")
    assert module_name("slides/talk.html", source) != module_name("base/slides/talk.html", source)


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str | None]]:
    """The names of the templates jinja2 compiles from here on (in fresh environments)."""
    names: list[str | None] = []
    original = jinja2.Environment.compile

    def counting_compile(self: jinja2.Environment, source: str, name: str | None = None, *args: object, **kwargs: object) -> object:
        names.append(name)
        return original(self, source, name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(jinja2.Environment, "compile", counting_compile)
    make_environment.cache_clear()
    yield names
    make_environment.cache_clear()


def test_a_build_compiles_no_built_in_template(tmp_path: Path, compiled: list[str | None]) -> None:
    deck = themed_deck(tmp_path / "deck", "default", {})
    deckgen.build(deck, tmp_path / "out", use_cache=False)  # no bytecode cache either: only the package's code
    assert compiled == []


def test_compiled_and_packaged_templates_render_the_same(
    tmp_path: Path, compiled: list[str | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = themed_deck(tmp_path / "deck", "kubecon", {})
    deckgen.build(deck, tmp_path / "packaged", use_cache=False)
    assert compiled == []
    monkeypatch.setattr("deckgen.precompiled.precompiled_code", lambda name, source, filename: None)
    make_environment.cache_clear()
    deckgen.build(deck, tmp_path / "compiled", use_cache=False)
    assert "deck.html" in compiled and "slides/talk.html" in compiled
    packaged = (tmp_path / "packaged" / "index.html").read_bytes()
    assert packaged == (tmp_path / "compiled" / "index.html").read_bytes()


def test_theme_chain_loads_a_template_by_layer_name(tmp_path: Path) -> None:
    theme = find_theme("default", tmp_path)
    environment = make_environment(theme, None)
    assert environment.get_template("base/slides/divider.html").filename == str(themes_root() / "base" / "slides" / "divider.html")


@pytest.mark.parametrize(
    "template,line,message",
    [
        ("<p>\n{% if %}\n</p>", 2, "Expected an expression, got 'end of statement block'"),
        ("{% extends 'base/slides/talk.html' %}\n{% block footer %}\n{{ talk.nope }}\n{% endblock %}", 3, "has no attribute 'nope'"),
        ("<div>\n{% include 'parts/missing.html' %}\n</div>", 2, "template 'parts/missing.html' not found in the theme"),
        ("<p>{{ view.talk.title + 1 }}</p>", 1, "TypeError: can only concatenate str"),
        ("<div>\n{% include 'slides/talk.html' %}\n</div>", 2, "templates include or extend one another in a loop"),
        ("<p>{{ view.talk.speaker }}</p>", 1, "a talk has no attribute 'speaker' (did you mean 'speakers'?); it has: css_class,"),
        ("<p>{{ viwe.talk }}</p>", 1, "'viwe' is undefined (did you mean 'view'?); a slide template sees page, deck, view"),
        ("{% extends 'kubecon/slides/talk.html' %}", 1, "did you mean 'base/slides/talk.html'?"),
    ],
    ids=["syntax", "unknown-name", "missing-include", "python-error", "include-loop", "attribute-hint", "name-hint", "built-in-layer"],
)
def test_a_broken_theme_template_is_a_deck_error_at_its_line(
    template: str, line: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from deckgen.cli import main

    deck = themed_deck(tmp_path / "deck", "themes/ours", {"slides/talk.html": template})
    out = tmp_path / "out"
    code = main(["build", str(deck), "-o", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith(f"themes/ours/slides/talk.html:{line}: error: "), err
    assert message in err and "[deckgen.theme-template]" in err
    assert "Traceback" not in err and "internal error" not in err
    assert not out.exists()


def test_check_finds_a_syntax_error_in_a_theme_template_without_building(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deckgen.cli import main

    deck = themed_deck(tmp_path / "deck", "themes/ours", {"slides/title.html": "<h1>\n{% for x in %}{% endfor %}\n</h1>"})
    assert main(["check", str(deck)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("themes/ours/slides/title.html:2: error: ") and "[deckgen.theme-template]" in err


def test_check_renders_a_deck_with_templates_of_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from deckgen.cli import main

    broken = "{% extends 'base/slides/talk.html' %}\n{% block footer %}\n<p>{{ talk.nope }}</p>\n{% endblock %}"
    deck = themed_deck(tmp_path / "deck", "themes/ours", {"slides/talk.html": broken})
    assert main(["check", str(deck)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("themes/ours/slides/talk.html:3: error: ") and "has no attribute 'nope'" in err
    assert sorted(p.name for p in deck.iterdir()) == ["deck.yaml", "slides", "themes"]  # nothing written
    (deck / "themes/ours/slides/talk.html").write_text(broken.replace("talk.nope", "talk.title"))
    assert main(["check", str(deck)]) == 0


def test_every_theme_variable_is_documented_with_its_value_in_each_built_in_theme() -> None:
    from helpers import documented_theme_variables, theme_root_variables, theme_variables_used

    documented = documented_theme_variables()
    used = set().union(*(theme_variables_used(theme) for theme in ("base", "default", "kubecon")))
    assert used == set(documented), "the README's table and the themes' stylesheets name different variables"
    base = theme_root_variables("base")
    assert set(base) == set(documented), "the base theme gives every variable its value"
    for column, theme in ((1, "default"), (2, "kubecon")):
        values = {**base, **theme_root_variables(theme)}
        assert {name: row[column] for name, row in documented.items()} == values, theme


def test_the_worked_example_theme_builds_with_its_logo_and_footer(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[1] / "examples" / "custom-theme"
    result = deckgen.build(example, tmp_path / "out")
    assert result.warnings == ()
    page = result.index.read_text(encoding="utf-8")
    assert page.count('class="org-logo"') == 1 and '<h1 class="dg-deck-title">' in page  # the block, then the rest of it
    assert (tmp_path / "out" / "_deckgen" / "themes" / "local" / "logo.svg").is_file()
    assert "org-track" in page and page.index('class="dg-talk-line"') < page.index('class="dg-video-line"')
    assert "_deckgen/themes/default/theme.css" in page and "_deckgen/themes/local/theme.css" in page


def test_the_readme_documents_every_attribute_a_template_sees() -> None:
    import dataclasses
    import re

    from deckgen import archive, inline, linklist, model, pages, qr, render, result, views
    from deckgen.templatecontext import OBJECT_NOUNS, public_names

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    rows = {cells[0]: cells[1] for cells in re.findall(r"^\| ([a-z][^|`]*?) \| (.*?) \|$", readme, re.MULTILINE)}
    missing = {}
    for class_name, noun in OBJECT_NOUNS.items():
        modules = (model, views, render, linklist, qr, inline, pages, archive, result)
        cls = next(getattr(module, class_name) for module in modules if hasattr(module, class_name))
        row = next((cells for names, cells in rows.items() if noun in names.split(", ")), rows["page"] if noun == "page.inline" else "")
        fields = {field.name for field in dataclasses.fields(cls)}
        wanted = sorted(fields | {name for name in public_names(cls.__new__(cls)) if not name.startswith("_")})
        absent = [name for name in wanted if not re.search(rf"`{name}[`(]", row)]
        if absent:
            missing[noun] = absent
    assert missing == {}


def test_the_readme_lists_every_class_the_built_in_templates_write() -> None:
    import re

    root = Path(__file__).resolve().parents[1]
    templates = "".join(path.read_text(encoding="utf-8") for path in (root / "themes" / "base").rglob("*.html"))
    # A name ending in "-" is completed by the template (`dg-link-{{ kind }}`, `dg-columns-{{ n }}`).
    written = {name for attribute in re.findall(r'class="([^"]*)"', templates) for name in re.findall(r"dg-[a-z0-9-]+", attribute)}
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Classes") : readme.index("### Templates and what they see")]
    listed = set(re.findall(r"`(dg-[a-zN-]+)`", section))
    assert sorted(name for name in written if not any(item == name or item.startswith(name) for item in listed)) == []
