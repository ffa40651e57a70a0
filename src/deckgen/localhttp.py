"""The HTTP rules of `deckgen serve`: which address it listens on, which requests it answers.

A server bound to a loopback address is reachable from this machine only, but a web page open in
any browser here can still point a host name of its own at 127.0.0.1 (DNS rebinding) and read what
the server sends. Such a request carries the page's host name in its `Host` header: a loopback
server answers only requests that name this machine (`localhost`, `*.localhost`, a loopback address).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import unquote, urlsplit

_PORT = re.compile(r"(?::[0-9]{1,5})?")


def listen_address(host: str, port: int) -> tuple[socket.AddressFamily, str]:
    """The address family and the address to bind for `host` (a name, an IPv4 or an IPv6 address)."""
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    return family, str(address[0])


def is_loopback(address: str) -> bool:
    """Whether a bound address is reachable from this machine only (127.0.0.0/8, ::1)."""
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str | None:
    """The name (or address) a `Host` header gives, lower-cased, without its port; None when it is malformed."""
    header = host_header.strip()
    if header.startswith("["):  # an IPv6 address: [::1]:8000
        name, bracket, port = header[1:].partition("]")
        if not bracket:
            return None
    else:
        name, colon, port = header.partition(":")
        port = colon + port
    if not _PORT.fullmatch(port):
        return None
    return name.lower().removesuffix(".")


def names_this_machine(host_header: str, listening_as: str = "localhost") -> bool:
    """Whether a `Host` header names this machine: `localhost`, `*.localhost`, a loopback address, or
    `listening_as`, the name the server was told to listen on (`--host`, which led to a loopback address); any port."""
    name = _host_name(host_header)
    if not name:
        return False
    given = listening_as.lower().removesuffix(".")
    return name in ("localhost", given) or name.endswith(".localhost") or is_loopback(name)


def path_problem(target: str) -> str | None:
    """Why a request target cannot name a file of the deck (None when it can): the reason for a 400."""
    if not target.startswith("/"):
        return "the request must name a path (starting with /)"
    try:
        path = unquote(urlsplit(target).path, encoding="utf-8", errors="strict")
    except UnicodeError:
        return "the path is not valid UTF-8"
    if "\0" in path:
        return "the path holds a NUL character"
    return None
