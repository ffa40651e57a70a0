"""Drive headless Chromium over its DevTools pipe: the standard library and a `chromium` binary, nothing else.

Chromium started with `--remote-debugging-pipe` reads DevTools protocol commands (JSON, each
ended by a NUL byte) on its file descriptor 3 and writes answers and events on 4. Its own messages
on stderr (D-Bus, GPU: noise on a server) are dropped unless asked for.
"""

from __future__ import annotations

import json
import os
import select
import signal
import time
from pathlib import Path
from typing import Any

from .errors import DeckgenError

BROWSER_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    # Without these Chromium reaches out to the network on its own at every start.
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)
"""How deckgen (and its tests) start Chromium: as root, headless, and with no network of its own."""
HEADLESS_FLAGS = ("--headless", *BROWSER_FLAGS, "--remote-debugging-pipe")


class DevToolsError(DeckgenError):
    """Chromium did not start, did not answer in time, or answered with an error."""


class Chromium:
    """One headless Chromium process and its DevTools pipe; use as a context manager."""

    def __init__(self, executable: str, profile: Path, flags: tuple[str, ...] = (), *, show_messages: bool = False) -> None:
        self.executable = executable
        self._profile = profile
        self._flags = flags
        self._show_messages = show_messages
        """Whether Chromium's stderr is this process's (else it goes nowhere)."""
        self._pid = 0
        self._to_browser = self._from_browser = -1
        self._buffer = b""
        self._next_id = 0

    def __enter__(self) -> Chromium:
        commands_read, commands_write = os.pipe()
        answers_read, answers_write = os.pipe()
        if answers_write == 3:  # it must survive the move of `commands_read` to 3
            answers_write, spare = os.dup(answers_write), answers_write
            os.close(spare)
        argv = [self.executable, *HEADLESS_FLAGS, *self._flags, f"--user-data-dir={self._profile}", "about:blank"]
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
            *([] if self._show_messages else [(os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)]),
            (os.POSIX_SPAWN_DUP2, commands_read, 3),
            (os.POSIX_SPAWN_DUP2, answers_write, 4),
        ]
        try:
            self._pid = os.posix_spawn(self.executable, argv, os.environ, file_actions=actions)
        except OSError as exc:
            raise DevToolsError(f"cannot run {self.executable}: {exc}") from exc
        finally:
            os.close(commands_read)
            os.close(answers_write)
        self._to_browser, self._from_browser = commands_write, answers_read
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._pid:
                self.send("Browser.close", timeout=5)
        except (DevToolsError, OSError):
            pass
        finally:
            self._wait_or_kill()
            for fd in (self._to_browser, self._from_browser):
                if fd >= 0:
                    os.close(fd)

    def _wait_or_kill(self, seconds: float = 5) -> None:
        deadline = time.monotonic() + seconds
        while self._pid and time.monotonic() < deadline:
            if os.waitpid(self._pid, os.WNOHANG)[0]:
                self._pid = 0
                return
            time.sleep(0.05)
        if self._pid:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
            self._pid = 0

    def send(self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None, timeout: float = 30) -> dict[str, Any]:
        """Send one command and return its result, skipping the events that arrive meanwhile."""
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self._to_browser, json.dumps(message).encode("utf-8") + b"\0")
        except OSError as exc:
            raise DevToolsError("Chromium exited (its DevTools pipe is closed)") from exc
        deadline = time.monotonic() + timeout
        while True:
            answer = self._read_message(deadline, method)
            if answer.get("id") != self._next_id:
                continue
            if "error" in answer:
                raise DevToolsError(f"{method}: {answer['error'].get('message', answer['error'])}")
            return dict(answer.get("result", {}))

    def _read_message(self, deadline: float, waiting_for: str) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise DevToolsError(f"Chromium did not answer {waiting_for} in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise DevToolsError("Chromium exited")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return dict(json.loads(message))

    def open_page(self, url: str, timeout: float = 30) -> str:
        """Open `url` in a new tab within `timeout` seconds; return the DevTools session that talks to it."""
        deadline = time.monotonic() + timeout
        target = self.send("Target.createTarget", {"url": "about:blank"}, timeout=_left(deadline))["targetId"]
        session = str(self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, timeout=_left(deadline))["sessionId"])
        self.send("Page.navigate", {"url": url}, session=session, timeout=_left(deadline))
        return session

    def evaluate(self, session: str, expression: str, timeout: float = 30) -> Any:
        """The value of a JavaScript expression in the page (which may be busy for a while: `timeout`)."""
        answer = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session, timeout=timeout)
        if "exceptionDetails" in answer:
            raise DevToolsError(f"page script failed: {answer['exceptionDetails'].get('text', '')}")
        return answer.get("result", {}).get("value")

    def wait_for(self, session: str, expression: str, timeout: float) -> Any:
        """Poll a JavaScript expression until it is truthy, for `timeout` seconds in all; return its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = self.evaluate(session, expression, timeout=_left(deadline))
            if value:
                return value
            if time.monotonic() > deadline:
                raise DevToolsError(f"the page was not ready in {timeout:.0f} s (waited for: {expression})")
            time.sleep(0.1)


def _left(deadline: float) -> float:
    """Seconds left until `deadline` (a `time.monotonic()` instant), never below 0."""
    return max(0.0, deadline - time.monotonic())
