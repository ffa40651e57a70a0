"""Counted nouns for the one-line reports of the command: `1 talk`, `2 talks`, `0 warnings`."""

from __future__ import annotations


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """`count` and the noun in the form the number takes: `1 talk`, `2 talks`, `1 QR code`."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"
