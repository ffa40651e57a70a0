"""`deckgen serve`: build a deck, serve it on 127.0.0.1, rebuild on every save, reload the open page.

The deck is built with `deckgen.build` into a temporary folder (so every rebuild is atomic and a
failed one leaves the last good deck in place) and served by the standard library's HTTP server,
under the rules of `localhttp.py` (on a loopback address, requests for this machine's names only).
A watcher thread polls the modification times of the deck folder and its theme (`watch.py`);
each change rebuilds. The page learns of it through server-sent events at `/_deckgen/events`, read by the base
theme's `live.js`: a good build reloads the page, a failed one shows its problems over it.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import socketserver
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from .counts import counted
from .errors import DeckgenError
from .localhttp import is_loopback, listen_address, names_this_machine, path_problem
from .output import lock_folder, remove_abandoned_temporary_folders
from .problems import DeckError, Problem, quoted_name
from .watch import POLL_SECONDS, Snapshot, changed_files, settle, snapshot, theme_folders

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
KEEPALIVE_SECONDS = 10.0
EVENTS_PATH = "/_deckgen/events"
SCRIPT_PATH = "/_deckgen/live.js"
WAITING_PAGE = "live-waiting.html"
"""Served as the deck until its first good build (in the base theme, never copied into a build)."""


class ServeError(DeckgenError):
    """The server cannot start (the port is taken, the deck folder is missing)."""


SERVE_FOLDER_PREFIX = "deckgen-serve-"
"""The output folder of `deckgen serve`, in the temporary folder: this prefix, the process id, a random part."""


@dataclass(frozen=True, slots=True)
class BuildState:
    """The outcome of the latest build, as the page is told about it."""

    version: int
    """Counts build attempts, good and bad: a new version is news for the page."""
    build: str
    """The id of the deck being served (its last good build); empty before the first one."""
    ok: bool
    """Whether the latest attempt succeeded (a failed one keeps the previous deck served)."""
    problems: tuple[Problem, ...]
    """The latest attempt's problems: its errors, or a good build's warnings."""

    def as_event(self) -> bytes:
        """The state as one server-sent event named `state`."""
        data = {
            "build": self.build,
            "ok": self.ok,
            "problems": [
                {
                    "text": str(p),
                    "severity": p.severity,
                    "path": p.path,
                    "line": p.line,
                    "column": p.column,
                    "code": p.code,
                    "message": p.message,
                }
                for p in self.problems
            ],
        }
        return f"event: state\ndata: {json.dumps(data)}\n\n".encode()


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True
    # A page load asks for a few dozen files at once, and several tabs reload together: the kernel
    # drops connections beyond the listen queue, and a browser retries a dropped one a second later.
    request_queue_size = 1024
    deck_server: DeckServer

    def server_bind(self) -> None:
        """Bind without `HTTPServer`'s reverse look-up of the address's name, which may reach the network."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """One line instead of socketserver's traceback; nothing when the page simply went away."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, (ConnectionError, TimeoutError)):
            print(f"deckgen serve: internal error answering a request: {type(exc).__name__}: {exc}", file=self.deck_server.err, flush=True)


class _HttpServer6(_HttpServer):
    address_family = socket.AF_INET6


class _Handler(SimpleHTTPRequestHandler):
    """The built deck's files, plus the live-reload script and event stream."""

    server: _HttpServer

    def parse_request(self) -> bool:
        """Read the request line and headers, then refuse what `localhttp` rules out (every method)."""
        if not super().parse_request():
            return False
        hosts = self.headers.get_all("Host") or []
        deck_server = self.server.deck_server
        if deck_server.loopback_only and (len(hosts) != 1 or not names_this_machine(hosts[0], deck_server.host_given)):
            self.send_error(
                HTTPStatus.FORBIDDEN,
                "deckgen serve answers requests for this machine only",
                "The request named another host (a web page that points its own name at this machine?). "
                "Open the deck at localhost or 127.0.0.1, or serve it to the network with --host 0.0.0.0.",
            )
            return False
        problem = path_problem(self.path)
        if problem is not None:
            self.send_error(HTTPStatus.BAD_REQUEST, problem)
            return False
        return True

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        deck_server = self.server.deck_server
        if path == EVENTS_PATH:
            self._send_events(deck_server)
        elif path == SCRIPT_PATH:
            self._send_file(deck_server.base_theme / "live.js", "text/javascript; charset=utf-8")
        elif path in ("/", "/index.html") and not deck_server.state.build:
            self._send_file(deck_server.base_theme / WAITING_PAGE, "text/html; charset=utf-8")
        else:
            deck_server.wait_for_site()
            super().do_GET()

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")  # every reload must show the latest build
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Say nothing per request: the terminal is for the deck's problems."""

    def _send_file(self, path: Path, content_type: str) -> None:
        data = path.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _send_events(self, deck_server: DeckServer) -> None:
        self.close_connection = True
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = -1
        try:
            while True:
                state = deck_server.next_state(seen, KEEPALIVE_SECONDS)
                if state is None:  # the server is stopping
                    return
                if state.version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    self.wfile.write(state.as_event())
                    seen = state.version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the page went away


class DeckServer:
    """A deck served with live reload, started and stopped by its owner (tests, `serve()`).

    `start()` builds the deck and starts serving and watching in background threads; `url` is
    where to open it; `stop()` ends it all and removes the temporary output folder.
    """

    def __init__(
        self,
        deck: str | Path,
        *,
        host: str = DEFAULT_HOST,
        port: int = 0,
        out: TextIO | None = None,
        err: TextIO | None = None,
    ) -> None:
        self.deck = Path(deck)
        self.host = host
        self.host_given = host
        """`--host` as given: a name of its own (which led to a loopback address) is a `Host` the server answers."""
        self.port = port
        self._out = out
        self._err = err
        self._session = secrets.token_hex(4)
        self._builds = 0
        self._state = BuildState(0, "", False, ())
        self._changed = threading.Condition()
        self._stopping = threading.Event()
        self._folder: Path | None = None
        self._folder_lock: int | None = None
        self._http: _HttpServer | None = None
        self._serving = False
        self._threads: list[threading.Thread] = []
        self._seen: Snapshot = {}

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/"

    @property
    def state(self) -> BuildState:
        with self._changed:
            return self._state

    @property
    def site(self) -> Path:
        """The folder the deck is built into and served from."""
        if self._folder is None:
            raise RuntimeError("the server is not started")
        return self._folder / "site"

    @property
    def base_theme(self) -> Path:
        from .themefolder import BASE_THEME, builtin_themes_root

        return builtin_themes_root() / BASE_THEME

    @property
    def err(self) -> TextIO:
        """Where problems and warnings are printed."""
        return self._err or sys.stderr

    @property
    def loopback_only(self) -> bool:
        """Whether only this machine can reach the server: then it answers requests for this machine's names only."""
        return is_loopback(self.host)

    def start(self) -> DeckServer:
        """Bind the port, build the deck and start serving and watching; return self.

        Whatever stops the start (an exception, Ctrl-C) releases the port and removes the output
        folder before it propagates. A deck error in the first build is no such thing: it is shown
        in the terminal and on the page, as later ones are.
        """
        if not self.deck.is_dir():
            raise ServeError(f"{self.deck}: not a deck folder (no such directory)")
        # Named by this process and locked while it serves, so a later serve can tell it from one
        # that was killed outright (which cannot clean up) and remove the latter.
        remove_abandoned_temporary_folders(SERVE_FOLDER_PREFIX)
        self._folder = Path(tempfile.mkdtemp(prefix=f"{SERVE_FOLDER_PREFIX}{os.getpid()}-"))
        self._folder_lock = lock_folder(self._folder)
        try:
            self._http = self._listen()
            if not self.loopback_only:
                print(
                    f"warning: listening on {self.host}: the deck (and every problem shown over it) is visible to any "
                    "machine on the network that can reach this one; the default --host 127.0.0.1 keeps it to this machine",
                    file=self.err,
                    flush=True,
                )
            self._seen = snapshot(self._watched_folders())
            self.rebuild((), starting=True)
            self._start_thread(self._http.serve_forever, "deckgen-http", poll_interval=0.2)
            self._serving = True  # from here on stop() must end the serving loop (it may not have begun: no matter)
            self._start_thread(self._watch, "deckgen-watch")
        except BaseException:
            self.stop()
            raise
        return self

    def _listen(self) -> _HttpServer:
        """Bind the port: the host may be a name, an IPv4 or an IPv6 address."""
        try:
            family, self.host = listen_address(self.host, self.port)
            server_class = _HttpServer6 if family == socket.AF_INET6 else _HttpServer
            http = server_class((self.host, self.port), partial(_Handler, directory=str(self.site)))
        except (OSError, UnicodeError, OverflowError) as exc:  # OverflowError: a port beyond 65535 (the library's callers)
            reason = getattr(exc, "strerror", None) or exc
            raise ServeError(f"cannot listen on {self.host}:{self.port}: {reason} (choose another with --port or --host)") from exc
        http.deck_server = self
        self.port = int(http.server_address[1])
        return http

    def _start_thread(self, target: Callable[..., object], name: str, **kwargs: object) -> None:
        thread = threading.Thread(target=target, kwargs=kwargs, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def stop(self) -> None:
        """Stop serving and watching, tell open pages' event streams to end, remove the output.

        Safe at any point of `start()`, more than once, and through another Ctrl-C while it runs
        (the impatient press it twice): each step is done before it is forgotten, so an interrupted
        stop carries on where it was.
        """
        while True:
            try:
                self._stop_steps()
                return
            except KeyboardInterrupt:
                continue

    def _stop_steps(self) -> None:
        self._stopping.set()
        with self._changed:
            self._changed.notify_all()
        if self._http is not None:
            if self._serving:  # socketserver's shutdown() waits for a serving loop: only for one that was started
                self._http.shutdown()
                self._serving = False
            self._http.server_close()
            self._http = None
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join(timeout=5)
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)
            self._folder = None
        if self._folder_lock is not None:
            os.close(self._folder_lock)
            self._folder_lock = None

    def __enter__(self) -> DeckServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for_site(self, timeout: float = 1.0) -> None:
        """Wait out the instant in which a rebuild swaps the new output folder in for the old one."""
        deadline = time.monotonic() + timeout
        while self._folder is not None and not self.site.is_dir() and self.state.build and time.monotonic() < deadline:
            time.sleep(0.01)

    def next_state(self, after: int, timeout: float) -> BuildState | None:
        """Wait up to `timeout` s for a state newer than version `after`; None once stopping."""
        with self._changed:
            self._changed.wait_for(lambda: self._stopping.is_set() or self._state.version != after, timeout)
            return None if self._stopping.is_set() else self._state

    def rebuild(self, changed: Iterable[str], *, starting: bool = False) -> BuildState:
        """Build the deck now, publish the outcome to open pages and report it in the terminal.

        A setup error at `starting` (deckgen itself is not set up) ends the start: no save can fix it.
        """
        from .assets import SetupError
        from .builder import build_variant

        started = time.perf_counter()
        token = f"{self._session}-{self._builds + 1}"
        slides = 0
        try:
            result = build_variant(self.deck, self.site, live_reload=token)
        except DeckError as exc:
            problems, ok = exc.problems, False
        except (SetupError, OSError) as exc:
            if starting and isinstance(exc, SetupError):
                raise
            problems, ok = (Problem(str(self.deck), None, None, "error", "build-failed", str(exc)),), False
        except Exception as exc:  # a bug in deckgen: say so, and keep serving the last good deck
            message = f"internal error: {type(exc).__name__}: {exc}"
            problems, ok = (Problem(str(self.deck), None, None, "error", "internal-error", message),), False
        else:
            problems, ok, slides = result.warnings, True, result.slide_count
            self._builds += 1
        milliseconds = round((time.perf_counter() - started) * 1000)
        with self._changed:
            build_id = token if ok else self._state.build
            self._state = BuildState(self._state.version + 1, build_id, ok, tuple(problems))
            self._changed.notify_all()
        self._report(self._state, milliseconds, list(changed), slides)
        return self._state

    def _report(self, state: BuildState, milliseconds: int, changed: list[str], slides: int) -> None:
        for problem in state.problems:
            print(problem, file=self.err, flush=True)
        shown = [self._shown(path) for path in changed[:3]]
        what = ", ".join(shown) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        cause = f"{what} changed; " if changed else ""
        if state.ok:
            verb = "rebuilt" if changed else "built"
            line = f"{verb} in {milliseconds} ms ({cause}{counted(slides, 'slide')}, {counted(len(state.problems), 'warning')})"
        else:
            verb = "rebuild" if changed else "build"
            errors = sum(1 for p in state.problems if p.is_error)
            kept = "serving the last good build" if state.build else "waiting for a good build"
            line = f"{verb} failed in {milliseconds} ms ({cause}{counted(errors, 'error')}; {kept}, the page shows them)"
        print(line, file=self._out or sys.stdout, flush=True)

    def _shown(self, path: str) -> str:
        try:
            return quoted_name(Path(path).relative_to(self.deck).as_posix())
        except ValueError:
            return quoted_name(path)

    def _watched_folders(self) -> list[Path]:
        return [self.deck, *theme_folders(self.deck)]

    def _watch(self) -> None:
        folders = self._watched_folders()
        failure = ""
        while not self._stopping.wait(POLL_SECONDS):
            try:
                folders = self._rebuild_if_changed(folders)
            except Exception as exc:  # a bug in deckgen: say so (once), and keep watching
                if str(exc) != failure:
                    failure = str(exc)
                    print(f"deckgen serve: internal error while watching: {type(exc).__name__}: {exc}", file=self.err, flush=True)

    def _rebuild_if_changed(self, folders: list[Path]) -> list[Path]:
        """Rebuild if a watched file changed since the last build; return the folders to watch from now on."""
        current = snapshot(folders)
        if current == self._seen:
            return folders
        current = settle(folders, current, self._stopping)
        if self._stopping.is_set():
            return folders
        changed = changed_files(self._seen, current)
        if str(self.deck / "deck.yaml") in changed:  # the theme may have changed: watch its folders from now on
            folders = self._watched_folders()
            current = snapshot(folders)
        self._seen = current
        self.rebuild(changed)
        return folders


def serve(
    deck: str | Path,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> None:
    """Serve `deck` with live reload until Ctrl-C (or SIGTERM); return then, having cleaned up."""
    server = DeckServer(deck, host=host, port=port, out=out, err=err)
    restore = _stop_on_signals()
    try:
        server.start()
        print(f"serving {quoted_name(str(deck))} at {server.url} (Ctrl-C to stop)", file=out or sys.stdout, flush=True)
        if open_browser:
            import webbrowser

            webbrowser.open(server.url)
        while True:
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("stopped", file=out or sys.stdout, flush=True)
    finally:
        server.stop()
        restore()


def _stop_on_signals() -> Callable[[], object]:
    """Make SIGTERM and SIGHUP (the terminal closed) end `serve()` like Ctrl-C (main thread only); return what undoes it."""
    if threading.current_thread() is not threading.main_thread():
        return lambda: None

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = {number: signal.signal(number, interrupt) for number in (signal.SIGTERM, signal.SIGHUP)}

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler if handler is not None else signal.SIG_DFL)

    return restore
