"""A talk file from a schedule event: written new, or its front-matter refreshed (`--update`)."""

from __future__ import annotations

from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode

from ..scaffold import yaml_string
from ..yamlfile import safe_load
from .event import EventLink, ScheduleEvent
from .text import escape_markdown, plain_text
from .yamledit import NewItem, append_items, set_value

OWNED_KEYS = ("title", "speakers", "track", "video", "links")
"""The front-matter keys an import writes, and `--update` refreshes; any other key is the author's."""


@dataclass(frozen=True, slots=True)
class TalkContent:
    """What an import knows of one talk, as the talk file says it."""

    event: ScheduleEvent
    track: str
    """The deck's name of the talk's track."""
    video: str | None


def _string_list(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(yaml_string(value) for value in values) + "]"


def _link(link: EventLink) -> str:
    return f"{{title: {yaml_string(link.title)}, url: {yaml_string(link.url)}}}"


def _owned_values(talk: TalkContent) -> dict[str, str]:
    """The owned keys that have a value, each as a one-line YAML value (links apart: they are added, not replaced)."""
    values = {"title": yaml_string(talk.event.title)}
    if talk.event.speakers:
        values["speakers"] = _string_list(talk.event.speakers)
    values["track"] = yaml_string(talk.track)
    if talk.video:
        values["video"] = yaml_string(talk.video)
    return values


def render_talk(talk: TalkContent) -> str:
    """A new talk file: front-matter, then a first slide with the title, the abstract as its notes."""
    event = talk.event
    lines = ["---", *(f"{key}: {value}" for key, value in _owned_values(talk).items())]
    if event.links:
        lines.append("links:")
        lines.extend(f"  - {_link(link)}" for link in event.links)
    lines += ["---", f"## {escape_markdown(event.title)}", ""]
    if event.subtitle:
        lines += [escape_markdown(event.subtitle), ""]
    abstract = plain_text(event.abstract)
    notes = [escape_markdown(abstract)] if abstract else []
    if event.url:
        notes.append(f"Schedule: {escape_markdown(event.url)}")
    if notes:
        lines += ["Note:", "\n\n".join(notes)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True, slots=True)
class FrontMatterSpan:
    """Where a file's front-matter stands: `text[start:end]` is its YAML, lines included."""

    start: int
    end: int


def find_front_matter(text: str) -> FrontMatterSpan | None:
    """The span of the YAML between a first `---` line and the next `---` line, or None."""
    first_end = text.find("\n")
    if first_end < 0 or text[:first_end].rstrip() != "---":
        return None
    at = first_end + 1
    while at <= len(text):
        line_end = text.find("\n", at)
        line = text[at:] if line_end < 0 else text[at:line_end]
        if line.rstrip() == "---":
            return FrontMatterSpan(first_end + 1, at)
        if line_end < 0:
            return None
        at = line_end + 1
    return None


def _mapping(front: str) -> MappingNode | None:
    from ..yamlfile import compose_yaml

    try:
        root = compose_yaml(front)
    except (yaml.YAMLError, RecursionError):
        return None
    return root if isinstance(root, MappingNode) else None


def refresh_front_matter(text: str, talk: TalkContent) -> str | None:
    """`text` (a talk file, LF line ends) with the owned keys set from `talk`, every other byte kept.

    The title, speakers, track and (when known) video are set; links the schedule has and the file
    lacks are added to its `links`; keys the import has no value for are left alone. Return None
    when the file has no front-matter mapping to refresh (then it is left as it is).
    """
    span = find_front_matter(text)
    if span is None:
        return None
    front = text[span.start : span.end]
    root = _mapping(front)
    if root is None:
        return None
    try:
        data = safe_load(front)
    except Exception:  # a value its tag cannot be (`seen: !!bool perhaps`): left as it is, for check to place
        return None
    for key, rendered in _owned_values(talk).items():
        if data.get(key) != safe_load(rendered):
            front = set_value(front, root, key, rendered)
            root = _mapping(front)
            if root is None:
                return None
    links = data.get("links")
    if links is None or isinstance(links, list):
        known = {item.get("url") if isinstance(item, dict) else item for item in links or []}
        missing = [NewItem(_link(link), _link(link)) for link in talk.event.links if link.url not in known]
        front = append_items(front, root, "links", missing)
    return text[: span.start] + front + text[span.end :]
