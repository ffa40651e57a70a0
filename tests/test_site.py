"""`deckgen site`: a folder of decks built into one site, the archive page, incremental rebuilds, errors."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from helpers import PageInspector, talk, write_deck

import deckgen
from deckgen import output
from deckgen.cli import main
from deckgen.pages import folder_url, sibling_url

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "kubecon-eu-2019"


class Anchors(HTMLParser):
    """Every `<a href>` of a page with its text, the page's meta tags, and whether it has a script."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.meta: dict[str, str] = {}
        self.scripts = 0
        self.images: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a":
            self._href, self._text = a.get("href", ""), []
        elif tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "script":
            self.scripts += 1
        elif tag == "img":
            self.images.append(a.get("src", ""))

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def deck_yaml(title: str, **keys: str) -> str:
    return f"title: {title!r}\n" + "".join(f"{key}: {value}\n" for key, value in keys.items())


def three_decks(root: Path) -> Path:
    """A folder of decks: three decks of different dates (one with none), and folders that are no decks."""
    write_deck(
        root / "2-spring",
        deck_yaml("Spring recap", date="2019-04-10", event="SpringConf", author="The organisers", tracks="[ops, dev]"),
        {
            "slides/1.md": talk("Running things", "ops", "https://example.com/v/1", links="['https://example.org/slides/1']"),
            "slides/2.md": talk("Building things", "dev", "https://example.com/v/2"),
        },
    )
    write_deck(
        root / "10-summer",
        deck_yaml("Summer recap", date="2019-06-12", subtitle="What we saw", lang="es"),
        {"slides/1.md": talk("Una charla", video="https://example.com/v/3")},
    )
    write_deck(root / "1-undated", deck_yaml("Undated recap"), {"slides/1.md": "# Just a slide\n"})
    write_deck(root / "_draft", deck_yaml("Draft"), {"slides/1.md": "# Draft\n"})
    write_deck(root / ".hidden", deck_yaml("Hidden"), {"slides/1.md": "# Hidden\n"})
    (root / "images").mkdir()
    (root / "notes.md").write_text("not a deck\n", encoding="utf-8")
    return root


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def inodes_of(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


# The site: every deck built as `deckgen build` builds it, and the archive page.


def test_every_deck_folder_is_built_as_a_single_build_would(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    result = deckgen.build_site(root, tmp_path / "out")
    assert [deck.out.name for deck in result.decks] == ["1-undated", "2-spring", "10-summer"]  # natural order
    assert {p.name for p in result.out.iterdir()} == {".deckgen-output", "10-summer", "1-undated", "2-spring", "_deckgen", "index.html"}
    for name in ("1-undated", "2-spring", "10-summer"):
        single = deckgen.build(root / name, tmp_path / "single" / name).out
        assert files_of(result.out / name).keys() == files_of(single).keys()
        for page in ("index.html", "links.html"):
            assert (result.out / name / page).read_bytes() == (single / page).read_bytes(), (name, page)
    assert not result.unchanged and result.rebuilt == 3


def test_the_archive_lists_every_deck_newest_first_with_its_links(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    result = deckgen.build_site(root, tmp_path / "out")
    html = result.index.read_text(encoding="utf-8")
    page = Anchors(html)
    decks = [href for href, text in page.links if text == "Slides"]
    assert decks == ["10-summer/index.html", "2-spring/index.html", "1-undated/index.html"]
    assert [href for href, text in page.links if text == "Links"] == [d.replace("index.html", "links.html") for d in decks]
    for href, _ in page.links:
        assert (result.out / href).is_file(), href
    assert page.scripts == 0
    text = " ".join(html.split())
    assert "12 June 2019" in text and "10 April 2019" in text  # the site's language (English: the decks differ)
    assert "2 talks · 2 tracks" in text and "1 talk" in text and "0 talks" in text
    assert "SpringConf" in text and "The organisers" in text
    assert "Draft" not in text and "Hidden" not in text
    assert "<title>Recaps</title>" in html and page.meta["og:title"] == "Recaps"
    assert page.meta["description"] == "Summer recap · Spring recap · Undated recap"


def test_site_yaml_sets_the_archive_title_language_and_address(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text(
        "title: Nuestros resúmenes\ndescription: Lo que vimos\nlang: es\nurl: https://example.org/recaps\n", encoding="utf-8"
    )
    result = deckgen.build_site(root, tmp_path / "out")
    html = result.index.read_text(encoding="utf-8")
    page = Anchors(html)
    assert '<html lang="es">' in html and "<title>Nuestros resúmenes</title>" in html
    assert "12 de junio de 2019" in html and "2 charlas · 2 temáticas" in html
    assert [text for _, text in page.links][:2] == ["Summer recap", "Diapositivas"]
    assert page.meta["og:url"] == "https://example.org/recaps" and page.meta["description"] == "Lo que vimos"
    assert "og:image" not in page.meta and page.meta["twitter:card"] == "summary"
    # A deck without its own url is published at the site's url and its folder.
    spring = Anchors((result.out / "2-spring" / "index.html").read_text(encoding="utf-8"))
    assert spring.meta["og:url"] == "https://example.org/recaps/2-spring/"
    links = Anchors((result.out / "2-spring" / "links.html").read_text(encoding="utf-8"))
    assert links.meta["og:url"] == "https://example.org/recaps/2-spring/links.html"
    assert links.meta["og:title"] == "Spring recap: links"


def test_the_site_speaks_its_decks_language_when_they_share_one(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    for name in ("a", "b"):
        write_deck(root / name, deck_yaml(f"Deck {name}", lang="pt-BR", date="2020-02-01"), {"slides/1.md": talk("T", video="https://example.com/v")})
    html = deckgen.build_site(root, tmp_path / "out").index.read_text(encoding="utf-8")
    assert '<html lang="pt-BR">' in html and "<title>Resumos</title>" in html and "1 palestra" in html


def test_each_links_page_carries_every_link_of_its_deck(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    root.mkdir()
    (root / "kubecon").symlink_to(EXAMPLE, target_is_directory=True)
    result = deckgen.build_site(root, tmp_path / "out")
    deck = deckgen.load_deck(EXAMPLE)
    page = Anchors((result.out / "kubecon" / "links.html").read_text(encoding="utf-8"))
    hrefs = {href for href, _ in page.links}
    wanted = {talk.video for talk in deck.talks if talk.video} | {link.url for talk in deck.talks for link in talk.links}
    wanted |= {link.url for link in deck.links}
    assert wanted and wanted <= hrefs
    assert hrefs - wanted == {"index.html"}
    assert page.scripts == 0


# Rebuilding: only what changed.


def test_a_second_site_build_with_nothing_changed_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = three_decks(tmp_path / "decks")
    out = tmp_path / "out"
    assert main(["site", str(root), "-o", str(out)]) == 0
    capsys.readouterr()
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}
    assert main(["site", str(root), "-o", str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith(f"built site {out}/index.html: 3 decks, 3 talks in ") and lines[-1].endswith(" (unchanged)")
    assert all(line.endswith("(unchanged)") for line in lines[:-1]) and len(lines) == 4
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decks", "out"]


def test_one_changed_deck_is_the_only_one_rebuilt_and_then_unchanged(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    out = tmp_path / "out"
    deckgen.build_site(root, out)
    before = inodes_of(out)
    (root / "2-spring" / "slides" / "2.md").write_text(talk("Building more things", "dev", "https://example.com/v/2"), encoding="utf-8")
    result = deckgen.build_site(root, out)
    assert {deck.out.name: deck.unchanged for deck in result.decks} == {"1-undated": True, "2-spring": False, "10-summer": True}
    assert result.summary().startswith(f"built site {out}/index.html: 3 decks (1 rebuilt), 3 talks in ")
    after = inodes_of(out)
    for name, inode in after.items():
        if name.startswith(("1-undated/", "10-summer/")):
            assert before[name] == inode, f"{name} was written again"
    assert "Building more things" in (out / "2-spring" / "links.html").read_text(encoding="utf-8")
    # The deck built into the staging folder and swapped in is recognised as unchanged, and so is the site.
    again = deckgen.build_site(root, out)
    assert again.unchanged and all(deck.unchanged for deck in again.decks)
    # Without a site url or pictures a site's deck is the very build `deckgen build` makes: its record says so.
    assert deckgen.build(root / "2-spring", out / "2-spring").unchanged


def test_a_changed_site_yaml_rebuilds_the_archive_and_the_decks_it_addresses(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    out = tmp_path / "out"
    deckgen.build_site(root, out)
    (root / "site.yaml").write_text("title: Our recaps\n", encoding="utf-8")
    result = deckgen.build_site(root, out)
    assert not result.unchanged and result.rebuilt == 0
    assert "<title>Our recaps</title>" in result.index.read_text(encoding="utf-8")
    (root / "site.yaml").write_text("title: Our recaps\nurl: https://example.org/r/\n", encoding="utf-8")
    assert deckgen.build_site(root, out).rebuilt == 3  # their share tags name their address now
    assert deckgen.build_site(root, out).unchanged


def test_an_added_or_removed_deck_changes_the_site(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    out = tmp_path / "out"
    deckgen.build_site(root, out)
    write_deck(root / "3-autumn", deck_yaml("Autumn recap", date="2019-10-01"), {"slides/1.md": "# Autumn\n"})
    result = deckgen.build_site(root, out)
    assert {deck.out.name: deck.unchanged for deck in result.decks} == {
        "1-undated": True, "2-spring": True, "3-autumn": False, "10-summer": True
    }  # fmt: skip
    assert "Autumn recap" in result.index.read_text(encoding="utf-8")
    os.rename(root / "1-undated", root / "_1-undated")
    result = deckgen.build_site(root, out)
    assert not result.unchanged and [deck.out.name for deck in result.decks] == ["2-spring", "3-autumn", "10-summer"]
    assert not (out / "1-undated").exists() and "Undated recap" not in result.index.read_text(encoding="utf-8")


def test_no_cache_builds_every_deck(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    deckgen.build_site(root, tmp_path / "out")
    assert deckgen.build_site(root, tmp_path / "out", use_cache=False).rebuilt == 3


# Errors: at their file and line, the previous site left whole.


def test_a_broken_deck_fails_the_site_and_leaves_the_old_one_byte_for_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = three_decks(tmp_path / "decks")
    out = tmp_path / "out"
    deckgen.build_site(root, out)
    before = files_of(out)
    (root / "2-spring" / "slides" / "2.md").write_text("---\ntitle: Broken\ntrack: dev\nvideo: [unclosed\n---\n# x\n", encoding="utf-8")
    (root / "10-summer" / "deck.yaml").write_text("title: Summer\ntracks: [a]\n", encoding="utf-8")
    (root / "10-summer" / "slides" / "1.md").write_text(talk("Una charla", "b", "https://example.com/v/3"), encoding="utf-8")
    assert main(["site", str(root), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert re.search(rf"^{re.escape(str(root))}/2-spring/slides/2\.md:4:\d+: error: ", err, re.MULTILINE), err
    assert f"{root}/10-summer/slides/1.md:3:8: error: unknown track 'b'" in err  # a later deck's errors too
    assert "Traceback" not in err and err.rstrip().endswith("nothing was written")
    assert files_of(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decks", "out"]  # no staging folder left


def test_site_yaml_problems_are_at_their_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text("title: Recaps\ntitel: typo\nurl: ftp://example.org\ntheme: kubecno\n", encoding="utf-8")
    assert main(["site", str(root), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert f"{root}/site.yaml:2:1: warning: unknown key 'titel' in site.yaml (did you mean 'title'?) [deckgen.unknown-key]" in err
    assert f"{root}/site.yaml:3:6: error: 'url': URL scheme 'ftp:' is not allowed (only http and https) [deckgen.bad-url]" in err
    theme = [line for line in err if line.startswith(f"{root}/site.yaml:4:8: error: unknown theme 'kubecno'")]
    assert len(theme) == 1 and "did you mean 'kubecon'" in theme[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "text,where",
    [
        ("title: [unclosed\n", "site.yaml:2:1: error: YAML syntax error"),
        ("- a list\n", "site.yaml:1:1: error: site.yaml must be a mapping of keys, not a list"),
        ("title: A\n\ttab: b\n", "site.yaml:2:"),
        ("lang: 12\ntitle: {a: 1}\n", "site.yaml:2:8: error: 'title' must be a string, not a mapping"),
    ],
)
def test_a_bad_site_yaml_is_an_error_at_its_line(tmp_path: Path, text: str, where: str, capsys: pytest.CaptureFixture[str]) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text(text, encoding="utf-8")
    assert main(["site", str(root), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{root}/{where}" in err and "Traceback" not in err


def test_a_warning_is_an_error_with_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text("titel: typo\n", encoding="utf-8")
    assert main(["site", str(root), "-o", str(tmp_path / "out")]) == 0
    assert f"{root}/site.yaml:1:1: warning: unknown key 'titel'" in capsys.readouterr().err
    assert main(["site", str(root), "-o", str(tmp_path / "out2"), "--strict"]) == 1
    assert f"{root}/site.yaml:1:1: error: unknown key 'titel'" in capsys.readouterr().err


def test_a_deck_warning_is_named_from_the_current_folder(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "1-undated" / "deck.yaml").write_text("title: Undated recap\nsubtitel: typo\n", encoding="utf-8")
    result = deckgen.build_site(root, tmp_path / "out")
    message = "unknown key 'subtitel' in deck.yaml (did you mean 'subtitle'?) [deckgen.unknown-key]"
    assert [str(p) for p in result.warnings] == [f"{root.as_posix()}/1-undated/deck.yaml:2:1: warning: {message}"]
    again = deckgen.build_site(root, tmp_path / "out")
    assert again.unchanged and again.warnings == result.warnings


def test_a_folder_without_decks_or_a_missing_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty" / "_draft").mkdir(parents=True)
    (tmp_path / "empty" / "_draft" / "deck.yaml").write_text("title: T\n", encoding="utf-8")
    assert main(["site", str(tmp_path / "empty"), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "error: no deck folders: a site's decks are the folders in it that hold a deck.yaml [deckgen.no-decks]" in err
    assert main(["site", str(tmp_path / "missing")]) == 1
    assert "not a folder of decks (no such directory)" in capsys.readouterr().err


@pytest.mark.parametrize(
    "out,message",
    [
        (".", "the output folder is the folder of decks itself"),
        ("..", "the output folder contains the folder of decks"),
        ("2-spring/_site", "the output folder is inside the deck folder 2-spring"),
    ],
)
def test_an_output_folder_that_would_publish_the_decks_is_refused(tmp_path: Path, out: str, message: str) -> None:
    root = three_decks(tmp_path / "decks")
    with pytest.raises(deckgen.DeckError, match=message):
        deckgen.build_site(root, root / out)


def test_a_folder_deckgen_did_not_make_is_not_replaced(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "thesis.tex").write_text("precious", encoding="utf-8")
    with pytest.raises(deckgen.DeckError, match="was not made by deckgen"):
        deckgen.build_site(root, tmp_path / "mine")
    assert (tmp_path / "mine" / "thesis.tex").read_text(encoding="utf-8") == "precious"
    assert deckgen.build_site(root, tmp_path / "mine", force=True).index.is_file()


def test_the_default_output_is_inside_the_folder_of_decks_and_skipped(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    result = deckgen.build_site(root)
    assert result.out == root / "_site" and result.index.is_file()
    assert deckgen.build_site(root).unchanged


def test_thumbnails_without_chromium_is_an_error_that_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = three_decks(tmp_path / "decks")
    assert main(["site", str(root), "-o", str(tmp_path / "out"), "--thumbnails", "--chromium", str(tmp_path / "no-chromium")]) == 1
    err = capsys.readouterr().err
    assert "--chromium" in err and "no such program" in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["site", str(root), "--chromium", "chromium"]) == 2


# The closing slide's QR code and the pages' addresses.


def test_closing_qr_links_points_the_closing_code_at_the_links_page(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        deck_yaml("T", url="https://example.org/recaps/t", closing_qr="links"),
        {"slides/1.md": talk("A", video="https://example.com/v")},
    )
    result = deckgen.build(deck, tmp_path / "out")
    page = PageInspector(result.index.read_text(encoding="utf-8"))
    closing = page.section_qr_links[page.kinds().index("closing")]
    title = page.section_qr_links[page.kinds().index("title")]
    assert closing == ["https://example.org/recaps/t/links.html"] and title == ["https://example.org/recaps/t"]
    assert "QR code: the links of this deck https://example.org/recaps/t/links.html" in page.qr_labels


def test_closing_qr_is_checked(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "a", deck_yaml("T", closing_qr="links"), {"slides/1.md": "# x\n"})
    [warning] = deckgen.check(deck)
    assert str(warning).startswith("deck.yaml:2:13: warning: closing_qr: links needs the deck's url")
    deck = write_deck(tmp_path / "b", deck_yaml("T", closing_qr="link"), {"slides/1.md": "# x\n"})
    [error] = deckgen.check(deck)
    message = "'closing_qr' must be 'deck' or 'links', not 'link' (did you mean 'links'?) [deckgen.bad-choice]"
    assert str(error) == f"deck.yaml:2:13: error: {message}"


@pytest.mark.parametrize(
    "url,name,expected",
    [
        ("https://example.org/recaps/kubecon", "links.html", "https://example.org/recaps/kubecon/links.html"),
        ("https://example.org/recaps/kubecon/", "links.html", "https://example.org/recaps/kubecon/links.html"),
        ("https://example.org/recaps/kubecon/index.html", "links.html", "https://example.org/recaps/kubecon/links.html"),
        ("https://example.org", "thumbnail.png", "https://example.org/thumbnail.png"),
        ("https://example.org/a/?x=1#top", "links.html", "https://example.org/a/links.html"),
    ],
)
def test_a_page_published_beside_a_deck(url: str, name: str, expected: str) -> None:
    assert sibling_url(url, name) == expected


def test_a_deck_folder_under_the_site_address() -> None:
    assert folder_url("https://example.org/recaps", "kubecon eu") == "https://example.org/recaps/kubecon%20eu/"
    assert folder_url("https://example.org/recaps/index.html", "a") == "https://example.org/recaps/a/"


def test_the_share_tags_of_a_deck_and_its_links_page(tmp_path: Path) -> None:
    deck = write_deck(
        tmp_path / "deck",
        deck_yaml("Recap", subtitle="What we saw", event="Conf", date="2019-06-12", url="https://example.org/r/"),
        {"slides/1.md": talk("A", video="https://example.com/v")},
    )
    out = deckgen.build(deck, tmp_path / "out").out
    tags = Anchors((out / "index.html").read_text(encoding="utf-8")).meta
    assert tags["description"] == tags["og:description"] == tags["twitter:description"] == "What we saw · Conf · 12 June 2019"
    assert tags["og:title"] == tags["twitter:title"] == "Recap" and tags["og:url"] == "https://example.org/r/"
    assert tags["og:type"] == "website" and tags["og:locale"] == "en" and tags["twitter:card"] == "summary"
    assert "og:image" not in tags and "twitter:image" not in tags
    links = Anchors((out / "links.html").read_text(encoding="utf-8")).meta
    assert links["og:url"] == "https://example.org/r/links.html" and links["og:title"] == "Recap: links"


def test_a_one_file_deck_has_no_links_page(tmp_path: Path) -> None:
    deck = write_deck(tmp_path / "deck", deck_yaml("T"), {"slides/1.md": talk("A", video="https://example.com/v")})
    out = deckgen.build(deck, tmp_path / "out", self_contained=True).out
    assert sorted(p.name for p in out.iterdir()) == [output.MARKER, "index.html"]


# The README's GitHub Pages workflow, as a deck repository commits it.


def readme_workflow() -> dict[str, object]:
    import yaml

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- pages-workflow: [^>]*-->\n```yaml\n(.*?)```", readme, re.DOTALL)
    assert block, "the README's Publish section has no workflow"
    workflow: dict[str, object] = yaml.safe_load(block.group(1))
    return workflow


def test_the_readme_workflow_builds_the_repository_into_what_it_publishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import shlex
    import shutil

    workflow = readme_workflow()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = workflow["jobs"]["build"]["steps"]  # type: ignore[index]
    [command] = [step["run"] for step in steps if "deckgen site" in step.get("run", "")]
    [upload] = [step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@")]
    args = shlex.split(command)
    assert args[:2] == ["deckgen", "site"] and upload["with"]["path"] == args[args.index("-o") + 1]
    if shutil.which("chromium") is None and shutil.which("google-chrome") is None:
        args.remove("--thumbnails")  # the runner has Chrome; this machine may not
    repo = three_decks(tmp_path / "repo")
    (repo / ".github" / "workflows").mkdir(parents=True)
    monkeypatch.chdir(repo)
    assert main(args[1:]) == 0, capsys.readouterr().err
    site = repo / upload["with"]["path"]
    assert {p.name for p in site.iterdir() if p.is_dir()} == {"10-summer", "1-undated", "2-spring", "_deckgen"}
    assert (site / "index.html").is_file() and (site / "2-spring" / "links.html").is_file()


def test_an_unchanged_site_imports_no_renderer_nor_its_libraries(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text("title: Recaps\nurl: https://example.org/r/\n", encoding="utf-8")
    command = [sys.executable, "-X", "importtime", "-m", "deckgen", "site", str(root), "-o", str(tmp_path / "out")]
    subprocess.run(command, check=True, capture_output=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    assert done.stdout.strip().endswith("(unchanged)")
    imported = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "deckgen.site" in imported
    heavy = {"deckgen.render", "deckgen.loader", "deckgen.schema", "markdown_it", "jinja2", "yaml", "qrcode", "sqlite3"}
    assert not imported & heavy


def test_a_site_theme_changes_the_archive_page(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text("theme: our-site\n", encoding="utf-8")
    theme = root / "our-site"
    (theme / "site").mkdir(parents=True)
    (theme / "theme.yaml").write_text("extends: kubecon\n", encoding="utf-8")
    (theme / "theme.css").write_text(":root { --dg-title-bg: #123456; }\n", encoding="utf-8")
    (theme / "site" / "archive.html").write_text(
        '{% extends "base/site/archive.html" %}\n{% block header %}<p class="org">Example User Group</p>{{ super() }}{% endblock %}\n'
        "{% block footr %}{% endblock %}\n",
        encoding="utf-8",
    )
    result = deckgen.build_site(root, tmp_path / "out")
    html = result.index.read_text(encoding="utf-8")
    assert '<p class="org">Example User Group</p>' in html and "Spring recap" in html
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    assert stylesheets == [
        "_deckgen/themes/base/theme.css", "_deckgen/themes/base/site/page.css",
        "_deckgen/themes/kubecon/theme.css", "_deckgen/themes/local/theme.css",
    ]  # fmt: skip
    assert all((result.out / sheet).is_file() for sheet in stylesheets)
    [warning] = result.warnings
    assert str(warning).startswith(f"{root.as_posix()}/our-site/site/archive.html:3: warning: block 'footr' is not a block of")
    # The decks keep their own theme.
    assert "_deckgen/themes/local" not in (result.out / "2-spring" / "index.html").read_text(encoding="utf-8")


def test_a_site_template_slip_says_what_the_site_pages_see(tmp_path: Path) -> None:
    root = three_decks(tmp_path / "decks")
    (root / "site.yaml").write_text("theme: our-site\n", encoding="utf-8")
    (root / "our-site" / "site").mkdir(parents=True)
    (root / "our-site" / "site" / "archive.html").write_text(
        '{% extends "base/site/archive.html" %}\n{% block header %}<p>{{ pgae.title }}</p>{% endblock %}\n', encoding="utf-8"
    )
    with pytest.raises(deckgen.DeckgenError) as caught:
        deckgen.build_site(root, tmp_path / "out")
    message = str(caught.value)
    assert "site/archive.html:2" in message and "'pgae' is undefined (did you mean 'page'?)" in message
    assert "site/archive.html page" in message
    assert not (tmp_path / "out").exists()


def test_a_folder_name_is_a_working_link(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    write_deck(root / "KubeCon EU #1 · 2019", deck_yaml("Recap"), {"slides/1.md": "# x\n"})
    result = deckgen.build_site(root, tmp_path / "out")
    hrefs = [href for href, _ in Anchors(result.index.read_text(encoding="utf-8")).links]
    assert hrefs == ["KubeCon%20EU%20%231%20%C2%B7%202019/index.html"] * 2 + ["KubeCon%20EU%20%231%20%C2%B7%202019/links.html"]
    from urllib.parse import unquote

    assert all((result.out / unquote(href)).is_file() for href in hrefs)


def test_a_date_no_calendar_has_is_text_sorted_with_the_undated(tmp_path: Path) -> None:
    root = tmp_path / "decks"
    dates = {"a": "2019", "b": "2020-13", "c": "2021-02-30", "d": "2018-06-01", "e": "2019-02-28"}
    for name, date in dates.items():
        write_deck(root / name, deck_yaml(f"Deck {name}", date=date), {"slides/1.md": "# One\n"})
    html = deckgen.build_site(root, tmp_path / "out").index.read_text(encoding="utf-8")
    decks = [href for href, text in Anchors(html).links if text == "Slides"]
    assert decks == ["e/index.html", "a/index.html", "d/index.html", "b/index.html", "c/index.html"]
    assert re.findall(r'<time datetime="([^"]*)"', html) == ["2019-02-28", "2019", "2018-06-01"]  # only real dates are <time>
    assert "2020-13" in html and "2021-02-30" in html  # shown as written
