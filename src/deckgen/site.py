"""`deckgen site`: a folder of decks built into one site, each deck as `deckgen build` builds it into
`OUT/<folder>/`, and the archive page, `OUT/index.html`.

The whole site is written into a staging folder beside OUT and swapped in at once (`output.py`): a
deck that fails fails the site, with its errors, and leaves the previous site as it was. A deck
that has not changed since the last build (its record, `manifest.py`) is linked into the new site,
not built again, and its record still holds there; a site where nothing has changed is not
written at all (`siterecord.py`). Like `builder.py`, this module imports the stages only in the
functions that run them, so an unchanged site is answered from the records alone.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .builder import DEFAULT_OUT
from .counts import counted
from .deckfolders import find_deck_folders
from .manifest import BuildIdentity, build_identity, environment_files, previous_result, stamp_all
from .problems import DeckError, Problem, quoted_name, sort_problems
from .result import BuildResult, DeckFacts
from .siterecord import SiteIdentity, site_outputs, site_record_json, unchanged_site
from .sources import SITE_FILE

if TYPE_CHECKING:
    from .sitefolder import SiteSettings
    from .stamps import FileStamp
    from .themes import Theme
    from .thumbnail import Thumbnails


@dataclass(frozen=True, slots=True)
class SiteResult:
    """What a site build made."""

    out: Path
    """The output folder; the archive page is `out / "index.html"`, each deck in `out / <folder>`."""
    decks: tuple[BuildResult, ...]
    """Each deck's build, in the natural order of its folder's name (its warnings named from the deck folder)."""
    warnings: tuple[Problem, ...]
    """site.yaml's warnings and every deck's, named from the current folder (`DIR/deck/slides/…`)."""
    seconds: float
    unchanged: bool = False
    """True when nothing had changed since the last build into `out`: nothing was written."""

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    @property
    def rebuilt(self) -> int:
        """How many decks were built (the others were unchanged and kept)."""
        return sum(1 for deck in self.decks if not deck.unchanged)

    def summary(self) -> str:
        """`built site OUT/index.html: 3 decks (1 rebuilt), 40 talks, 2 warnings in 1.20 s`."""
        decks = counted(len(self.decks), "deck")
        if not self.unchanged and self.rebuilt < len(self.decks):
            decks += f" ({self.rebuilt} rebuilt)"
        counts = [decks, counted(sum(deck.talk_count for deck in self.decks), "talk")]
        if self.warnings:
            counts.append(counted(len(self.warnings), "warning"))
        tail = " (unchanged)" if self.unchanged else ""
        return f"built site {quoted_name(str(self.index))}: {', '.join(counts)} in {self.seconds:.2f} s{tail}"


def build_site(
    source: str | Path,
    out: str | Path | None = None,
    *,
    force: bool = False,
    strict: bool = False,
    thumbnails: bool = False,
    chromium: str | os.PathLike[str] | None = None,
    use_cache: bool = True,
    show_chromium_messages: bool = False,
) -> SiteResult:
    """Build every deck folder of `source` into `out` (default `source/_site`) and the archive page over them.

    The deck folders are the folders one level down that hold a deck.yaml (names starting with `_`
    or `.` skipped); `site.yaml` in `source` may give the archive's `title`, `description`, `lang`,
    `url` and `theme`. Raise `DeckError` with every deck's errors (named from the current folder):
    the previous site is then left as it was. With `thumbnails`, a picture of each deck's title
    slide is taken with Chromium (`chromium`, default the one on PATH; none is an error).
    `use_cache=False` builds every deck anew, bypassing the records and the user cache folder.
    """
    started = time.perf_counter()
    root = Path(source)
    shown = root.as_posix()
    out_path = Path(out) if out is not None else root / DEFAULT_OUT
    if not root.is_dir():
        raise DeckError([Problem(shown, None, None, "error", "no-site", "not a folder of decks (no such directory)")])
    pictures = _thumbnails(chromium, show_chromium_messages) if thumbnails else None
    decks = find_deck_folders(root)
    identity = SiteIdentity(str(root.resolve()), str(out_path.resolve()), strict, thumbnails)
    if use_cache and decks:  # answered from the records alone: site.yaml is not even read
        unchanged = _unchanged_site(identity, decks, out_path, shown)
        if unchanged is not None:
            from .output import remove_leftovers

            remove_leftovers(out_path.resolve())
            return replace(unchanged, seconds=time.perf_counter() - started)
    # Inputs are stamped before they are read: a file saved during the build makes the next one rebuild.
    files = (*environment_files(), str(root.resolve() / SITE_FILE))
    file_stamps = stamp_all((), files, out_path.resolve())
    settings, theme, problems = _read_settings(root, strict)
    if not decks:
        message = "no deck folders: a site's decks are the folders in it that hold a deck.yaml"
        problems += (Problem(".", None, None, "error", "no-decks", message),)
    if any(p.is_error for p in problems) or theme is None:
        raise DeckError(p.under(shown) for p in problems)
    _check_site_output(out_path, root, decks, theme, force)
    addresses = {name: _address(settings, name) for name in decks}
    folders = tuple(str(layer.folder) for layer in theme.layers)
    inputs = stamp_all(folders, (), out_path.resolve()) + file_stamps
    site = _SiteBuild(root, shown, out_path, settings, theme, strict, use_cache, pictures)
    try:
        results = site.write(addresses, identity, problems, (folders, files, inputs))
    finally:
        if pictures is not None:
            pictures.close()
    return SiteResult(out_path, results, site.warnings(problems, results), time.perf_counter() - started)


def _deck_identity(root: Path, out: Path, name: str, address: str | None, strict: bool, thumbnails: bool) -> BuildIdentity:
    """The build a site makes of its deck `name`: `deckgen build`'s, with the site's address and pictures."""
    return build_identity(root / name, out / name, strict=strict, self_contained=False, address=address, thumbnail=thumbnails)


def _read_settings(root: Path, strict: bool) -> tuple[SiteSettings, Theme | None, tuple[Problem, ...]]:
    """site.yaml's settings, the archive page's theme, and their problems (named from the folder of decks)."""
    from .sitefolder import read_site_settings
    from .templatechecks import own_template_problems

    settings, problems = read_site_settings(root)
    theme, theme_problems = _site_theme(settings, root)
    if theme is not None:
        theme_problems += tuple(own_template_problems(theme, root))
    return settings, theme, _strictly(sort_problems(problems + theme_problems), strict)


def _thumbnails(chromium: str | os.PathLike[str] | None, show_messages: bool) -> Thumbnails:
    """The picture taker, before anything is built: without Chromium, the site is an error at once."""
    from .thumbnail import Thumbnails

    return Thumbnails(chromium, show_messages=show_messages)


def _address(settings: SiteSettings, folder: str) -> str | None:
    """Where the site publishes a deck: the site's `url` and the deck's folder."""
    from .pages import folder_url

    return folder_url(settings.url, folder) if settings.url else None


def _strictly(problems: tuple[Problem, ...], strict: bool) -> tuple[Problem, ...]:
    return tuple(p.as_error() for p in problems) if strict else problems


def _site_theme(settings: SiteSettings, root: Path) -> tuple[Theme | None, tuple[Problem, ...]]:
    """The archive page's theme, or an error at site.yaml's `theme`."""
    from .themes import ThemeError, find_theme

    try:
        return find_theme(settings.theme, root), ()
    except ThemeError as exc:
        pos = settings.theme_pos
        return None, (Problem(SITE_FILE, pos.line if pos else None, pos.column if pos else None, "error", exc.code, str(exc)),)


def _check_site_output(out: Path, root: Path, decks: tuple[str, ...], theme: Theme, force: bool) -> None:
    """Refuse an OUT that is, holds or lies in the folder of decks' own files, or a folder deckgen did not make."""
    from .builder import refuse_output_in_theme
    from .output import check_output_folder

    real_out, real_root = out.resolve(), root.resolve()

    def refuse(message: str) -> DeckError:
        return DeckError([Problem(str(out), None, None, "error", "unsafe-output", message)])

    if real_out == real_root:
        raise refuse("the output folder is the folder of decks itself")
    if real_root.is_relative_to(real_out):
        raise refuse("the output folder contains the folder of decks")
    for name in decks:
        if real_out.is_relative_to((root / name).resolve()):
            raise refuse(f"the output folder is inside the deck folder {quoted_name(name)}")
    refuse_output_in_theme(out, tuple(str(layer.folder) for layer in theme.layers))
    check_output_folder(out, real_root, force)


def _unchanged_site(identity: SiteIdentity, decks: tuple[str, ...], out: Path, shown: str) -> SiteResult | None:
    """The last site build's result when neither the site nor any of its decks has changed since; else None."""
    recorded = unchanged_site(identity, decks)
    if recorded is None:
        return None
    results = []
    for name, address in recorded.addresses.items():
        deck = _deck_identity(Path(identity.root), out, name, address, identity.strict, identity.thumbnails)
        result = previous_result(deck, out / name)
        if result is None:
            return None
        results.append(result)
    try:
        problems = tuple(Problem(*warning) for warning in recorded.warnings)
    except TypeError:
        return None
    return SiteResult(out, tuple(results), _named(shown, problems, results), 0.0, unchanged=True)


def _named(shown: str, problems: tuple[Problem, ...], results: list[BuildResult] | tuple[BuildResult, ...]) -> tuple[Problem, ...]:
    """site.yaml's problems and each deck's, named from the current folder."""
    named = [p.under(shown) for p in problems]
    for result in results:
        named.extend(p.under(f"{shown.rstrip('/')}/{result.out.name}") for p in result.warnings)
    return tuple(named)


class _SiteBuild:
    """One build of a site into a staging folder: the decks, then the archive page, then the swap."""

    def __init__(
        self,
        root: Path,
        shown: str,
        out: Path,
        settings: SiteSettings,
        theme: Theme,
        strict: bool,
        use_cache: bool,
        pictures: Thumbnails | None,
    ) -> None:
        self.root, self.shown, self.out = root, shown, out
        self.settings, self.theme = settings, theme
        self.strict, self.use_cache, self.pictures = strict, use_cache, pictures

    def warnings(self, problems: tuple[Problem, ...], results: tuple[BuildResult, ...]) -> tuple[Problem, ...]:
        return _named(self.shown, problems, results)

    def write(
        self,
        decks: dict[str, str | None],
        identity: SiteIdentity,
        problems: tuple[Problem, ...],
        read: tuple[tuple[str, ...], tuple[str, ...], tuple[FileStamp, ...]],
    ) -> tuple[BuildResult, ...]:
        """Build the site into a staging folder and swap it in; raise `DeckError` with every deck's errors.

        `decks`: each deck folder's name and where the site publishes it; `read`: the folders and files
        the site itself reads (its theme, site.yaml, deckgen), and their stamps.
        """
        from .output import BuildOutput, fill_folder, staged_output

        sources: set[str] = set()
        with staged_output(self.out, sources) as staging:
            results = self._decks(staging, decks, identity, sources)
            files, copies = self._archive(results)
            sources.update(str(source) for source, _ in copies)
            warnings = [[p.path, p.line, p.column, p.severity, p.code, p.message] for p in problems]

            def record(folder: Path) -> str:
                return site_record_json(identity, decks, *read, site_outputs(folder, tuple(decks)), warnings)

            fill_folder(staging, self.out, BuildOutput(files, copies, record if self.use_cache else None))
        return results

    def _decks(self, staging: Path, decks: dict[str, str | None], site: SiteIdentity, sources: set[str]) -> tuple[BuildResult, ...]:
        """Each deck into `staging/<folder>`: an unchanged one linked from the last site, the others built."""
        from .builder import check, prepare_build
        from .output import fill_folder, link_tree

        results: list[BuildResult] = []
        errors: list[Problem] = []
        for name, address in decks.items():
            started = time.perf_counter()
            named = f"{self.shown.rstrip('/')}/{name}"
            if errors:  # the site fails already: the other decks are only checked, for their errors
                errors.extend(p.under(named) for p in check(self.root / name, strict=self.strict, use_cache=self.use_cache) if p.is_error)
                continue
            identity = _deck_identity(self.root, self.out, name, address, self.strict, site.thumbnails)
            kept = previous_result(identity, self.out / name) if self.use_cache else None
            if kept is not None:
                link_tree(self.out / name, staging / name)
                results.append(replace(kept, seconds=time.perf_counter() - started))
                continue
            try:
                result, written = prepare_build(
                    self.root / name, self.out / name, force=True, strict=self.strict, use_cache=self.use_cache,
                    address=address, thumbnail=self.pictures.picture_beside if self.pictures else None,
                )  # fmt: skip
            except DeckError as exc:
                errors.extend(p.under(named) for p in exc.problems)
                continue
            sources.update(str(source) for source, _ in written.copies)
            fill_folder(staging / name, self.out / name, written)
            results.append(replace(result, seconds=time.perf_counter() - started))
        if errors:
            raise DeckError(errors)
        return tuple(results)

    def _archive(self, results: tuple[BuildResult, ...]) -> tuple[dict[str, bytes], tuple[tuple[Path, str], ...]]:
        """The archive page and the files of its theme."""
        from .archive import ArchiveEntry, archive_order, archive_page
        from .cache import default_cache_dir
        from .catalogue import words_for
        from .themes import make_environment, page_stylesheets, template_errors_as_deck_errors, theme_static_files
        from .version import __version__

        facts = [result.facts or DeckFacts(result.out.name) for result in results]
        languages = {fact.lang for fact in facts}
        lang = self.settings.lang or (languages.pop() if len(languages) == 1 else "en")
        words = words_for(lang, theme_folders=[layer.folder for layer in self.theme.layers])
        entries = archive_order(
            [
                ArchiveEntry(result.out.name, fact, result.talk_count, words.date(fact.date), self.pictures is not None)
                for result, fact in zip(results, facts, strict=True)
            ]
        )
        page = archive_page(
            entries,
            words,
            title=self.settings.title,
            description=self.settings.description,
            url=self.settings.url,
            stylesheets=tuple(page_stylesheets(self.theme)),
            generator=f"deckgen {__version__}",
        )
        cache_root = default_cache_dir() if self.use_cache else None
        with template_errors_as_deck_errors(self.root), words.speaking():
            html = make_environment(self.theme, cache_root).get_template("site/archive.html").render(page=page)
        return {"index.html": html.encode("utf-8")}, tuple(theme_static_files(self.theme))
