"""Ask one URL whether it answers, within one deadline for all of it, whatever the server does.

The deadline covers looking up the host, connecting, the TLS handshake and the answer's status
line and headers. A socket timeout alone bounds only each read, so a server that sends one byte
now and then would hold a link for ever: when the deadline passes, the connection is shut down
under the reading thread instead. Host look-ups run in threads of their own (the C library gives
them no timeout), once per host for all the links of a check.

Every way a server or the network can fail becomes the link's `LinkStatus`, never an exception.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import quote, urlsplit, urlunsplit

from .errors import DeckgenError
from .version import __version__

USER_AGENT = f"deckgen/{__version__} (link check)"
_NO_ROUTE = (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EADDRNOTAVAIL)
"""Connection errors that say this machine has no way to the address (EADDRNOTAVAIL: no address of that family here)."""

Failure = Literal["timeout", "unresolved", "no-route", "failed"]
"""Why a link gave no answer: out of time, its host could not be looked up, no network route, anything else."""


@dataclass(frozen=True, slots=True)
class LinkStatus:
    """What one URL answered."""

    url: str
    status: int | None
    """The HTTP status, or None when there was no answer."""
    location: str | None = None
    """Where a redirect points."""
    error: str | None = None
    """Why there was no answer, in words."""
    checked: float = 0.0
    """When it was asked (seconds since the epoch)."""
    failure: Failure | None = None
    """Why there was no answer, as a kind (None when there was one)."""


class _Unresolved(DeckgenError):
    """A host name that could not be looked up (in time): never leaves this module, it becomes a `LinkStatus`."""


class HostLookups:
    """Host name look-ups shared by the links of one check: each host is looked up once.

    A look-up runs in a daemon thread; a link waits for it no longer than its own deadline (a
    look-up that never ends is left to end on its own, holding nothing but its thread).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lookups: dict[tuple[str, int], _Lookup] = {}

    def addresses(self, host: str, port: int, deadline: float) -> list[tuple[Any, ...]]:
        """`getaddrinfo`'s answers for (host, port); raise `_Unresolved` when there are none by `deadline`."""
        with self._lock:
            lookup = self._lookups.get((host, port))
            if lookup is None:
                lookup = self._lookups[host, port] = _Lookup(host, port)
        return lookup.wait(deadline)

    def resolve_any(self, urls: list[str], timeout: float) -> bool:
        """Whether the host of at least one of `urls` can be looked up, within `timeout` seconds in all."""
        deadline = time.monotonic() + timeout
        for url in urls:
            parts = urlsplit(url)
            try:
                port = parts.port or (443 if parts.scheme == "https" else 80)
                if parts.hostname and self.addresses(parts.hostname, port, deadline):
                    return True
            except (_Unresolved, ValueError):  # ValueError: a port out of range
                continue
        return False


class _Lookup:
    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self._done = threading.Event()
        self._answers: list[tuple[Any, ...]] = []
        self._error = ""
        threading.Thread(target=self._run, args=(port,), name=f"deckgen-lookup-{host}", daemon=True).start()

    def _run(self, port: int) -> None:
        try:
            self._answers = socket.getaddrinfo(self.host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:  # UnicodeError: a name IDNA cannot encode
            self._error = getattr(exc, "strerror", None) or str(exc)
        finally:
            self._done.set()

    def wait(self, deadline: float) -> list[tuple[Any, ...]]:
        if not self._done.wait(max(0.0, deadline - time.monotonic())):
            raise _Unresolved(f"cannot look up {self.host}: no answer in time")
        if not self._answers:
            raise _Unresolved(f"cannot look up {self.host}: {self._error or 'no address'}")
        return self._answers


class _Link:
    """One URL being asked: its deadline, and the connection that is shut down when it passes."""

    def __init__(self, url: str, timeout: float, lookups: HostLookups, tls: ssl.SSLContext) -> None:
        self.url = url
        self.deadline = time.monotonic() + timeout
        self.lookups = lookups
        self.tls = tls
        self.proxied = _is_proxied(url)
        self.expired = False
        self._lock = threading.Lock()
        self._guard: socket.socket | None = None
        self._timer = threading.Timer(timeout, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def left(self) -> float:
        """Seconds left before the deadline; `TimeoutError` when none are."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        return left

    def open_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        """Connect to one of the host's addresses, as `socket.create_connection` would, within the deadline."""
        failure: OSError = OSError(f"no address for {host}")
        for family, kind, proto, _, address in self.lookups.addresses(host, port, self.deadline):
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(min(timeout, self.left()))
                sock.connect(address)
            except OSError as exc:
                sock.close()
                failure = exc
                continue
            self.watch(sock)
            return sock
        raise failure

    def watch(self, sock: socket.socket) -> None:
        """Keep a duplicate of `sock`'s descriptor, to shut the connection down at the deadline.

        A duplicate of its own: the connection's descriptor may be closed, and its number reused,
        by the reading thread at any moment.
        """
        with self._lock:
            if self._guard is not None:
                self._guard.close()
            self._guard = sock.dup()
            if self.expired:
                _shut_down(self._guard)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._guard is not None:
                _shut_down(self._guard)

    def close(self) -> None:
        with self._lock:
            self._timer.cancel()
            if self._guard is not None:
                self._guard.close()
                self._guard = None


def _shut_down(sock: socket.socket) -> None:
    """End a connection both ways: a thread blocked reading it returns at once."""
    with contextlib.suppress(OSError):  # the server may have closed it already
        sock.shutdown(socket.SHUT_RDWR)


class _LinkConnection(http.client.HTTPConnection):
    """An HTTP connection whose socket is opened, and watched, by its `_Link`."""

    link: _Link

    def connect(self) -> None:
        if self.link.proxied:
            super().connect()  # to the proxy: its own look-up, and its tunnel for https
            assert self.sock is not None
            self.link.watch(self.sock)
        else:
            self.sock = self.link.open_socket(self.host, self.port, self.timeout or self.link.left())


class _LinkTLSConnection(http.client.HTTPSConnection, _LinkConnection):
    """HTTPS over `_LinkConnection.connect` (HTTPSConnection wraps what it connects)."""


def _connection_class(cls: type[_LinkConnection], link: _Link) -> Callable[..., _LinkConnection]:
    def make(host: str, **kwargs: Any) -> _LinkConnection:
        connection = cls(host, **kwargs)
        connection.link = link
        return connection

    return make


class _HttpHandler(urllib.request.HTTPHandler):
    def __init__(self, link: _Link) -> None:
        super().__init__()
        self.link = link

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection_class(_LinkConnection, self.link), req)


class _HttpsHandler(urllib.request.HTTPSHandler):
    def __init__(self, link: _Link) -> None:
        super().__init__(context=link.tls)
        self.link = link

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection_class(_LinkTLSConnection, self.link), req, context=self.link.tls)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Report redirects instead of following them."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_ASCII_PRINTABLE = "".join(map(chr, range(0x21, 0x7F)))


def askable_url(url: str) -> str:
    """`url` as a request carries it, as a browser sends it: a non-ASCII host name in IDNA
    (`café.example` → `xn--caf-dma.example`), every other non-ASCII character percent-encoded as
    UTF-8 (`/instal·lació` → `/instal%C2%B7laci%C3%B3`). http.client refuses non-ASCII request lines.
    """
    if url.isascii():
        return url
    parts = urlsplit(url)
    userinfo, at, host_port = parts.netloc.rpartition("@")
    host, colon, port = host_port.partition(":")  # a non-ASCII host is never an IPv6 address in brackets
    with contextlib.suppress(UnicodeError):  # a name IDNA refuses stays as written: the request says why
        host = host.encode("idna").decode("ascii")
    netloc = quote(userinfo, safe=_ASCII_PRINTABLE) + at + host + colon + port
    path, query, fragment = (quote(part, safe=_ASCII_PRINTABLE) for part in (parts.path, parts.query, parts.fragment))
    return urlunsplit((parts.scheme, netloc, path, query, fragment))


def _is_proxied(url: str) -> bool:
    """Whether urllib sends `url` through a proxy (from the environment): the proxy then looks up its host."""
    parts = urlsplit(url)
    return parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(parts.hostname or "")


def _ask(link: _Link, method: str) -> LinkStatus:
    opener = urllib.request.build_opener(_NoRedirects(), _HttpHandler(link), _HttpsHandler(link))
    request = urllib.request.Request(askable_url(link.url), method=method, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=link.left()) as response:
            answer = LinkStatus(link.url, response.status, checked=time.time())
    except urllib.error.HTTPError as exc:  # an answer: 3xx (not followed), 4xx, 5xx
        with exc:
            answer = LinkStatus(link.url, exc.code, location=exc.headers.get("Location"), checked=time.time())
    except Exception as exc:  # whatever the server or the network did is this link's failure, never the check's
        failure, reason = _reason(TimeoutError() if link.expired else exc)
        return LinkStatus(link.url, None, error=reason, checked=time.time(), failure=failure)
    if link.expired:
        # Shut down at the deadline while its headers were still coming: what was read looks whole
        # to http.client (an end of stream ends the headers), but the server never finished answering.
        return LinkStatus(link.url, None, error="timeout", checked=time.time(), failure="timeout")
    return answer


def _reason(exc: BaseException) -> tuple[Failure, str]:
    """What a failed request means, as a kind and in words."""
    if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, BaseException):
        return _reason(exc.reason)
    if isinstance(exc, TimeoutError):
        return "timeout", "timeout"
    if isinstance(exc, _Unresolved):
        return "unresolved", str(exc)
    if isinstance(exc, http.client.RemoteDisconnected):
        return "failed", "the server closed the connection without answering"
    if isinstance(exc, http.client.BadStatusLine):
        return "failed", f"not an HTTP answer ({str(exc)[:60]!r})"
    if isinstance(exc, http.client.HTTPException):  # a header line too long, too many headers, …
        return "failed", f"a broken HTTP answer ({str(exc)[:100]})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return "failed", f"its TLS certificate is not valid ({exc.verify_message})"
    if isinstance(exc, ssl.SSLError):
        return "failed", f"TLS failed ({exc.reason or exc})"
    if isinstance(exc, OSError):
        kind: Failure = "no-route" if exc.errno in _NO_ROUTE else "failed"
        return kind, exc.strerror or str(exc)
    if isinstance(exc, urllib.error.URLError):
        return "failed", str(exc.reason)
    if isinstance(exc, ValueError):  # a URL http.client refuses (a bad port, control characters)
        return "failed", f"not a URL that can be asked ({exc})"
    return "failed", f"{type(exc).__name__}: {exc}"


def fetch_status(url: str, timeout: float, lookups: HostLookups | None = None, tls: ssl.SSLContext | None = None) -> LinkStatus:
    """HEAD the URL (servers that refuse HEAD are asked again with GET), all within `timeout` seconds."""
    link = _Link(url, timeout, lookups or HostLookups(), tls or ssl.create_default_context())
    try:
        status = _ask(link, "HEAD")
        if status.status in (403, 405, 501):
            status = _ask(link, "GET")
        return status
    finally:
        link.close()
