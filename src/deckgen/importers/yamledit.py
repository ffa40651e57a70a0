"""Edit YAML as text, at the places the parser reports, so every other byte stays as the author wrote it.

A round-trip YAML library re-indents sequences and moves comments (ruamel.yaml writes `-   name:`
where the file had `  - name:`, and a comment before the next key becomes the last item's, so an
appended item lands after it). Here a YAML node's marks say where a list ends or a value stands,
and the new text goes exactly there: comments, order, quotes and blank lines are kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode


@dataclass(frozen=True, slots=True)
class NewItem:
    """An item to add to a list, as it is written in a block list (after `- `) and in a flow list."""

    block: str
    flow: str


def value_node(mapping: MappingNode, key: str) -> tuple[Node, Node] | None:
    """The key and value nodes of `key` in a mapping node."""
    for key_node, value in mapping.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            return key_node, value
    return None


def _content_end(text: str, node: Node) -> int:
    """Where a node's own text ends (a block collection ends with its last item; trailing space excluded)."""
    if isinstance(node, MappingNode) and node.value and not node.flow_style:
        return _content_end(text, node.value[-1][1])
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        return _content_end(text, node.value[-1])
    end = int(node.end_mark.index)
    while end > int(node.start_mark.index) and text[end - 1] in " \t\r\n":
        end -= 1
    return end


def _line_end(text: str, index: int) -> int:
    """The index just after the end of the line holding `index` (its newline included)."""
    newline = text.find("\n", index)
    return len(text) if newline < 0 else newline + 1


def _dash_column(text: str, item: Node) -> int:
    """The column of the `-` that opens a block list's item."""
    start = int(item.start_mark.index)
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    dash = before.rfind("-")
    if dash >= 0 and not before[:dash].strip():
        return dash
    return max(0, int(item.start_mark.column) - 2)


def _insert(text: str, at: int, addition: str) -> str:
    if at == len(text) and text and not text.endswith("\n"):
        addition = "\n" + addition
    return text[:at] + addition + text[at:]


def append_items(text: str, root: MappingNode, key: str, items: list[NewItem]) -> str:
    """`text` with `items` added at the end of the list under the top-level `key` (the list made if missing).

    Raise `ValueError` when `key` holds something other than a list (or nothing).
    """
    if not items:
        return text
    found = value_node(root, key)
    if found is None:
        lines = "".join(f"  - {item.block}\n" for item in items)
        return _insert(text, len(text), f"{key}:\n{lines}")
    key_node, value = found
    if isinstance(value, ScalarNode) and value.tag.endswith(":null"):
        start, end = int(value.start_mark.index), int(value.end_mark.index)
        if start == end:  # `key:` with nothing after it: the items go on the next lines
            lines = "".join(f"  - {item.block}\n" for item in items)
            return _insert(text, _line_end(text, int(key_node.end_mark.index)), lines)
        return text[:start] + "[" + ", ".join(item.flow for item in items) + "]" + text[end:]
    if not isinstance(value, SequenceNode):
        raise ValueError(f"'{key}' is not a list")
    if value.flow_style:
        if value.value:
            return _insert(text, _content_end(text, value.value[-1]), "".join(f", {item.flow}" for item in items))
        opening = text.index("[", int(value.start_mark.index))
        return _insert(text, opening + 1, ", ".join(item.flow for item in items))
    indent = " " * _dash_column(text, value.value[0])
    at = _line_end(text, _content_end(text, value.value[-1]))
    return _insert(text, at, "".join(f"{indent}- {item.block}\n" for item in items))


def set_value(text: str, root: MappingNode, key: str, rendered: str) -> str:
    """`text` with the top-level `key` set to `rendered` (a one-line YAML value); a missing key is added at the end."""
    found = value_node(root, key)
    if found is None:
        return _insert(text, len(text), f"{key}: {rendered}\n")
    key_node, value = found
    start = int(key_node.end_mark.index)
    end = max(_content_end(text, value), int(value.start_mark.index))
    return text[:start] + ": " + rendered + text[end:]
