"""Load YAML safely, with the file position of every key and value."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Collector
from .sources import line_and_column

KeyPath = tuple[object, ...]


class _SafeLoader(yaml.SafeLoader):
    """SafeLoader whose date that no calendar has (`2019-02-30`) is its text, where PyYAML raises ValueError."""

    def construct_yaml_timestamp(self, node: ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:  # YAML's date pattern matched, the calendar did not: text, as deckgen reads such a date
            return self.construct_scalar(node)


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _SafeLoader.construct_yaml_timestamp)


def safe_load(text: str) -> Any:
    """`yaml.safe_load`, but a date no calendar has is its text (see `_SafeLoader`) instead of a ValueError."""
    return yaml.load(text, Loader=_SafeLoader)  # a SafeLoader: no Python objects


class _NoAliasLoader(_SafeLoader):
    """SafeLoader that refuses anchors' aliases: a deck never needs them, and they make alias bombs."""

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "YAML aliases (*name) are not allowed in a deck", event.start_mark)
        return super().compose_node(parent, index)


@dataclass(frozen=True, slots=True)
class YamlDoc:
    """A loaded YAML document and where each part of it stands in the file."""

    data: Any
    positions: dict[KeyPath, tuple[int, int]]
    """(line, column) in the file of each value, by its key path; `("links", 0, "url")`."""
    key_positions: dict[KeyPath, tuple[int, int]]
    """(line, column) of each mapping key, by the key path of its value."""

    def pos(self, *path: object) -> tuple[int, int]:
        """Where the value at `path` is, falling back to its nearest located parent."""
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return self.positions.get((), (1, 1))

    def key_pos(self, *path: object) -> tuple[int, int]:
        return self.key_positions.get(path) or self.pos(*path)


def _record(node: Node, path: KeyPath, first_line: int, doc: YamlDoc) -> None:
    mark = node.start_mark
    doc.positions[path] = (first_line + mark.line, mark.column + 1)
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode):
                key_path = (*path, key_node.value)
                doc.key_positions[key_path] = (first_line + key_node.start_mark.line, key_node.start_mark.column + 1)
                _record(value_node, key_path, first_line, doc)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), first_line, doc)


def _fast_load(text: str) -> tuple[Node | None, Any] | None:
    """Parse with libyaml when PyYAML has it; None on any trouble, left to the Python parser to word."""
    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        return None
    try:
        if any(isinstance(event, AliasEvent) for event in yaml.parse(text, Loader=c_loader)):
            return None
        loader = c_loader(text)
        try:
            node = loader.get_single_node()
            return node, (loader.construct_document(node) if node is not None else None)
        finally:
            loader.dispose()
    except Exception:  # YAML errors, nesting too deep, a tagged value its constructor fails on: worded below
        return None


def compose_yaml(text: str) -> Node | None:
    """The node tree of one YAML document, with the marks of every node; raise `yaml.YAMLError` when it is not YAML.

    Aliases are refused, as `load_yaml` refuses them.
    """
    loader = _NoAliasLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def load_yaml(text: str, rel: str, first_line: int, problems: Collector) -> YamlDoc | None:
    """Parse YAML text that starts at `first_line` of file `rel`; report errors at their file line."""
    fast = _fast_load(text)
    if fast is not None:
        node, data = fast
    else:
        loaded = _careful_load(text, rel, first_line, problems)
        if loaded is None:
            return None
        node, data = loaded
    doc = YamlDoc(data, {}, {})
    if node is not None:
        _record(node, (), first_line, doc)
    else:
        doc.positions[()] = (first_line, 1)
    return doc


def _careful_load(text: str, rel: str, first_line: int, problems: Collector) -> tuple[Node | None, Any] | None:
    """The pure-Python parser: refuses aliases, and words errors the same on every machine."""
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:
        # YAML refuses some characters (control codes) before parsing starts.
        line_in_text, column_in_text = line_and_column(text, exc.position)
        message = f"YAML cannot contain the character {exc.character!r}"
        problems.error(rel, first_line + line_in_text - 1, column_in_text, "yaml-syntax", message)
        return None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        column = mark.column + 1 if mark else None
        reason = exc.problem or exc.context or "invalid YAML"
        if mark and "'\\t'" in reason:  # YAML refuses tabs where it expects indentation or a token
            problems.error(rel, line, column, "yaml-syntax", "YAML indentation uses a tab; use spaces")
        else:
            problems.error(rel, line, column, "yaml-syntax", f"YAML syntax error: {reason}")
        return None
    except yaml.YAMLError as exc:
        problems.error(rel, first_line, None, "yaml-syntax", f"YAML error: {exc}")
        return None
    except RecursionError:  # where the reader had got to is where the nesting went too deep
        problems.error(rel, first_line + loader.line, loader.column + 1, "yaml-syntax", "YAML nested too deeply")
        return None
    except Exception as exc:  # PyYAML's constructor fails on a value its tag cannot be: `!!bool maybe`, `!!int ten`
        bad = _unbuildable_scalar(loader, node)
        detail = f" ({exc})" if isinstance(exc, ValueError) and str(exc) else ""
        if bad is None:
            problems.error(rel, first_line, None, "yaml-syntax", f"YAML value cannot be read{detail}")
        else:
            kind = bad.tag.rsplit(":", 1)[-1]  # tag:yaml.org,2002:timestamp
            message = f"YAML value '{bad.value}' is not a valid {kind}{detail}"
            problems.error(rel, first_line + bad.start_mark.line, bad.start_mark.column + 1, "yaml-syntax", message)
        return None
    finally:
        loader.dispose()
    return node, data


def _unbuildable_scalar(loader: yaml.SafeLoader, node: Node | None) -> ScalarNode | None:
    """The first scalar under `node` whose tag's constructor fails (a timestamp that is no date)."""
    pending = [node] if node is not None else []
    while pending:
        current = pending.pop(0)
        if isinstance(current, ScalarNode):
            try:
                loader.construct_object(current, deep=True)
            except Exception:
                return current
        elif isinstance(current, SequenceNode):
            pending.extend(current.value)
        elif isinstance(current, MappingNode):
            pending.extend(item for pair in current.value for item in pair)
    return None
