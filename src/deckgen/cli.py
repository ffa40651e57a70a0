"""The `deckgen` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from .importers import FORMATS
from .version import __version__

if TYPE_CHECKING:
    from collections.abc import Sequence

EXIT_OK, EXIT_DECK_ERROR, EXIT_USAGE = 0, 1, 2
SCHEMA_CHOICES = ("deck", "talk")
"""`deckgen schema`'s names (`json_schema.SCHEMA_NAMES`, not imported by every command)."""


def version_text() -> str:
    """`deckgen 0.1.0 (reveal.js 6.0.2, Python 3.11.7)`: what a bug report needs to say."""
    from .assets import reveal_version

    reveal = reveal_version()
    python = sys.version.split()[0]
    return f"deckgen {__version__} (reveal.js {reveal or 'not installed'}, Python {python})"


class _VersionAction(argparse.Action):
    """argparse's version action, with the text made only when asked for (it reads reveal.js's manifest)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        print(version_text())
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="deckgen", description="Compile a folder of Markdown talk notes into a reveal.js deck.")
    parser.add_argument("--version", action=_VersionAction, help="show deckgen's, reveal.js's and Python's versions and exit")
    parser.add_argument(
        "--debug", action="store_true", help="show a traceback when deckgen itself fails, and Chromium's own messages (pdf)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build a deck folder into a presentable reveal.js site")
    build.add_argument("deck", type=Path, help="the deck folder (holds deck.yaml and slides/)")
    build.add_argument("-o", "--out", type=Path, help="output folder (default: DECK/_site)")
    build.add_argument("--force", action="store_true", help="replace an output folder that deckgen did not make")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    build.add_argument("--no-cache", action="store_true", help="rebuild everything, even an unchanged deck, without the user cache folder")
    build.add_argument(
        "--self-contained", action="store_true", help="write one index.html that carries reveal.js, CSS, fonts and images"
    )

    site = commands.add_parser("site", help="build a folder of decks into one site: every deck, and an archive page over them")
    site.add_argument("dir", type=Path, metavar="DIR", help="the folder of decks (each folder in it with a deck.yaml is a deck)")
    site.add_argument("-o", "--out", type=Path, help="output folder (default: DIR/_site)")
    site.add_argument("--force", action="store_true", help="replace an output folder that deckgen did not make")
    site.add_argument("--strict", action="store_true", help="treat warnings as errors")
    site.add_argument("--no-cache", action="store_true", help="rebuild every deck, even unchanged ones, without the user cache folder")
    site.add_argument(
        "--thumbnails", action="store_true", help="take a picture of each deck's title slide with Chromium (share previews, archive)"
    )
    site.add_argument("--chromium", metavar="PATH", help="with --thumbnails: the Chromium or Chrome to use (default: chromium on PATH)")

    check = commands.add_parser("check", help="report every problem of a deck without writing anything")
    check.add_argument("deck", type=Path, nargs="+", metavar="DECK", help="the deck folder (with --files: files, as a git hook gets them)")
    check.add_argument(
        "--files",
        action="store_true",
        help="check each deck that holds one of the paths given (a file's deck is the nearest folder above it with a deck.yaml); "
        "paths in no deck are left alone; problems are shown from the current folder",
    )
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--online", action="store_true", help="also ask every link whether it still answers (uses the network)")
    check.add_argument(
        "--timeout", type=_seconds, default=5.0, help="seconds each link may take in all with --online (default 5, at most 3600)"
    )
    check.add_argument("--no-cache", action="store_true", help="with --online, ask again even links checked in the last day")

    new = commands.add_parser("new", help="start a new deck folder: deck.yaml, an intro and an example talk")
    new.add_argument("dir", type=Path, help="the new deck folder (must not exist, or be empty)")
    new.add_argument("--title", default=None, help="the deck's title")
    new.add_argument("--lang", default="en", help="the deck's language (es, pt-BR, …): its comments and sample text too (default en)")

    links = commands.add_parser("links", help="list every link of a deck (videos, talk links, deck links) in deck order")
    links.add_argument("deck", type=Path, help="the deck folder")
    links.add_argument("--format", choices=("md", "json", "csv"), default="md", help="Markdown grouped by track (default), JSON or CSV")

    serve = commands.add_parser("serve", help="serve a deck on this machine, rebuilt and reloaded on every save")
    serve.add_argument("deck", type=Path, help="the deck folder")
    serve.add_argument("--port", type=_port, default=8000, help="the port (default 8000; 0 picks a free one)")
    serve.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--open", action="store_true", help="open the deck in the default browser")

    pdf = commands.add_parser("pdf", help="print a deck to PDF with headless Chromium, one page per slide")
    pdf.add_argument("deck", type=Path, help="the deck folder")
    pdf.add_argument("-o", "--out", type=Path, required=True, metavar="FILE.pdf", help="the PDF file to write")
    pdf.add_argument("--chromium", metavar="PATH", help="the Chromium or Chrome to print with (default: chromium on PATH)")

    imports = commands.add_parser(
        "import", help="start talk files from a conference's schedule (frab XML, schedule JSON, iCalendar, Sessionize)"
    )
    imports.add_argument("schedule", type=Path, help="the schedule file, as the conference publishes it")
    imports.add_argument("--into", type=Path, metavar="DECK", help="the deck to add the talks to (made if missing)")
    imports.add_argument("--list", action="store_true", help="print every event, one a line (id, track, title, speakers, video)")
    imports.add_argument("--pick", action="append", default=[], metavar="TEXT", help="an event id, or words of one title (repeatable)")
    imports.add_argument("--track", action="append", default=[], metavar="NAME", help="every event of a track (repeatable)")
    imports.add_argument(
        "--videos", type=Path, metavar="PLAYLIST.json", help="a playlist listing (yt-dlp --flat-playlist -J) to find videos in"
    )
    imports.add_argument("--format", choices=FORMATS, help="the schedule's format (default: found from its content)")
    imports.add_argument("--update", action="store_true", help="refresh the front-matter of talk files already there")
    imports.add_argument("--lang", default="en", help="the language of a deck the import makes (as deckgen new --lang; default en)")

    schema = commands.add_parser("schema", help="print the JSON Schema of deck.yaml or of talk front-matter, for editors and validators")
    schema.add_argument("name", choices=SCHEMA_CHOICES, help="deck: deck.yaml; talk: the front-matter of a Markdown file under slides/")
    return parser


def _seconds(text: str) -> float:
    """A time limit: a number of seconds above 0, and no more than an hour."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0 < seconds <= 3600:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds above 0 and up to 3600")
    return seconds


def _port(text: str) -> int:
    """A TCP port: 0 (any free one) to 65535."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535; 0 picks a free one)")
    return port


def _print_problems(problems: Sequence[object]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def _run_build(args: argparse.Namespace) -> int:
    from .builder import build  # answers an unchanged deck without importing the renderer

    result = build(
        args.deck, args.out, force=args.force, strict=args.strict, self_contained=args.self_contained, use_cache=not args.no_cache
    )
    _print_problems(result.warnings)
    print(result.summary())
    return EXIT_OK


def _run_site(args: argparse.Namespace) -> int:
    from .site import build_site

    if args.chromium and not args.thumbnails:
        print("deckgen site: error: --chromium is for --thumbnails", file=sys.stderr)
        return EXIT_USAGE
    result = build_site(
        args.dir, args.out, force=args.force, strict=args.strict, thumbnails=args.thumbnails, chromium=args.chromium,
        use_cache=not args.no_cache, show_chromium_messages=args.debug,
    )  # fmt: skip
    _print_problems(result.warnings)
    for deck in result.decks:
        print(deck.summary())
    print(result.summary())
    return EXIT_OK


def _run_check(args: argparse.Namespace) -> int:
    from .builder import check
    from .counts import counted
    from .problems import quoted_name

    if args.files:
        from .deckfolders import decks_holding

        decks: Sequence[Path] = decks_holding(args.deck)
    elif len(args.deck) > 1:
        print("deckgen check: error: give one deck folder (or --files and the files of any number of decks)", file=sys.stderr)
        return EXIT_USAGE
    else:
        decks = args.deck
    failed = False
    for deck in decks:
        problems = check(deck, strict=args.strict, online=args.online, timeout=args.timeout, use_cache=not args.no_cache)
        # A git hook's files are named from the repository's top: so are the problems of each of its decks.
        _print_problems([problem.under(deck.as_posix()) for problem in problems] if args.files else problems)
        errors = sum(1 for p in problems if p.is_error)
        failed = failed or errors > 0
        print(f"{quoted_name(str(deck))}: {counted(errors, 'error')}, {counted(len(problems) - errors, 'warning')}")
    return EXIT_DECK_ERROR if failed else EXIT_OK


def _run_new(args: argparse.Namespace) -> int:
    from .messages import available_languages, match_language
    from .scaffold import new_deck

    if match_language(args.lang) is None:
        supported = ", ".join(available_languages())
        message = f"no catalogue for language '{args.lang}' (supported: {supported}): the new deck is in English"
        print(f"deckgen: warning: {message}", file=sys.stderr)
    from .problems import quoted_name

    written = new_deck(args.dir, title=args.title, lang=args.lang)
    folder = quoted_name(str(args.dir))  # one line, whatever the name holds
    print(f"created {folder}: {', '.join(path.relative_to(args.dir).as_posix() for path in written)}")
    print(f"next: edit it with 'deckgen serve {folder}', build it with 'deckgen build {folder}'")
    return EXIT_OK


def _run_links(args: argparse.Namespace) -> int:
    from .export import links

    found = links(args.deck)
    _print_problems(found.warnings)
    sys.stdout.write(found.formatted(args.format))
    return EXIT_OK


def _run_serve(args: argparse.Namespace) -> int:
    from .server import serve

    serve(args.deck, host=args.host, port=args.port, open_browser=args.open)
    return EXIT_OK


def _run_pdf(args: argparse.Namespace) -> int:
    from .pdf import build_pdf

    result = build_pdf(args.deck, args.out, chromium=args.chromium, show_chromium_messages=args.debug)
    _print_problems(result.warnings)
    print(result.summary())
    return EXIT_OK


def _run_import(args: argparse.Namespace) -> int:
    from .importers.reading import read_schedule
    from .problems import printable  # schedule text never reaches the terminal as an escape or a bidi control

    schedule = read_schedule(args.schedule, format=args.format)
    if args.list:
        for event in schedule.events:
            video = "video" if event.video else "no video"
            print("\t".join(printable(field) for field in (event.id, event.track, event.title, ", ".join(event.speakers), video)))
        return EXIT_OK
    if args.into is None:
        print("deckgen import: error: give the deck to import into with --into DECK (or --list the events)", file=sys.stderr)
        return EXIT_USAGE
    from .importers.run import import_schedule

    result = import_schedule(
        schedule, args.into, picks=args.pick, tracks=args.track, videos=args.videos, update=args.update, lang=args.lang
    )
    print("\n".join(printable(line) for line in result.lines()))
    return EXIT_OK


def _run_schema(args: argparse.Namespace) -> int:
    from .json_schema import schema_text

    sys.stdout.write(schema_text(args.name))
    return EXIT_OK


COMMANDS = {
    "build": _run_build,
    "site": _run_site,
    "check": _run_check,
    "new": _run_new,
    "links": _run_links,
    "serve": _run_serve,
    "pdf": _run_pdf,
    "import": _run_import,
    "schema": _run_schema,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run deckgen with `argv` (default: the process arguments); return the exit code."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `deckgen import … --list | head`: the reader has what it wanted
        with contextlib.suppress(OSError, ValueError):  # what is still buffered goes nowhere, quietly
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        return _report_failure(exc, args.debug)


def run() -> NoReturn:
    """The `deckgen` command: `main()`, then end the process at once.

    Every file is written and closed by then, and the streams are flushed here; what is skipped is
    the interpreter's tear-down of every module and object (a tenth of a small build: see
    docs/benchmark.md).
    `main()` itself returns normally, for programs and tests that call it.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code)


_MACHINE_ERRNOS = frozenset({errno.ENOSPC, errno.EROFS, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM, errno.EIO})
"""What the machine says when it refuses a read or a write: the machine's fault (exit 1), never deckgen's."""


def _report_failure(exc: Exception, debug: bool) -> int:
    """Print why a command failed and return its exit code; the exception classes are imported only when one did."""
    from .counts import counted
    from .errors import DeckgenError
    from .problems import DeckError, printable

    if isinstance(exc, DeckError):
        _print_problems(exc.problems)
        print(f"deckgen: {counted(len(exc.errors), 'error')}; nothing was written", file=sys.stderr)
        return exc.exit_code
    if isinstance(exc, DeckgenError):
        print(f"deckgen: error: {printable(str(exc))}", file=sys.stderr)  # one line, whatever a file name holds
        return exc.exit_code
    if isinstance(exc, OSError) and exc.errno in _MACHINE_ERRNOS and not debug:
        # The machine refused (a full disk, a read-only file system, no permission), wherever it did: not a bug.
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        where = f": {printable(str(exc.filename))}" if exc.filename is not None else ""
        print(f"deckgen: error: {reason[:1].lower()}{reason[1:]}{where}", file=sys.stderr)
        return 1
    if debug:
        raise exc
    # A traceback for bad input is a bug: say so plainly.
    print(f"deckgen: internal error: {type(exc).__name__}: {printable(str(exc))} (run with --debug for a traceback)", file=sys.stderr)
    return 3
