"""Check the templates of a user's theme folder without rendering: syntax, a template that extends
itself, and blocks that its parent does not have (a misspelt block is never shown)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .problems import Problem
from .schema import closest
from .themefolder import BASE_THEME, BUILTIN_THEMES
from .themes import Theme, ThemeLayer, make_environment, own_templates, template_problem


def own_template_problems(theme: Theme, deck_root: Path) -> list[Problem]:
    """Problems of the templates of a user's theme folder, found without rendering anything."""
    problems: list[Problem] = []
    templates = own_templates(theme)
    if templates:
        environment = make_environment(theme, None)
        for layer, path in templates:
            shown = Path(os.path.relpath(path, deck_root)).as_posix()
            name = path.relative_to(layer.folder).as_posix()
            try:
                tree = environment.parse(path.read_bytes().decode("utf-8"), name, str(path))
            except Exception as exc:
                problem = template_problem(exc, deck_root) or Problem(shown, None, None, "error", "theme-template", f"cannot read: {exc}")
                problems.append(problem)
                continue
            problems.extend(_extends_problems(environment, theme, tree, name, path, shown))
    return problems


def _extends_problems(environment: Any, theme: Theme, tree: Any, name: str, path: Path, shown: str) -> list[Problem]:
    """A template that extends itself; blocks it fills that its parent does not have."""
    from jinja2 import TemplateNotFound, nodes

    extends = tree.find(nodes.Extends)
    if extends is None or not isinstance(extends.template, nodes.Const) or not isinstance(extends.template.value, str):
        return []
    parent = extends.template.value
    try:
        _, parent_file, _ = environment.loader.get_source(environment, parent)
    except TemplateNotFound:
        return []  # the render says so, at this line
    if parent_file is not None and Path(parent_file).resolve() == path.resolve():
        builtin = _builtin_name(theme, name)
        reach = f'; to build on the built-in one, write {{% extends "{builtin}" %}}' if builtin else ""
        message = f"template '{name}' extends itself: the name '{parent}' finds this very file{reach}"
        return [Problem(shown, extends.lineno, None, "error", "theme-template", message)]
    available = _blocks_of(environment, parent, set())
    problems = []
    for block in _top_level_blocks(tree):
        if block.name not in available:
            close = closest(block.name, sorted(available))
            hint = f" (did you mean '{close}'?)" if close else f" (its blocks: {', '.join(sorted(available)) or 'none'})"
            message = f"block '{block.name}' is not a block of '{parent}', so it is never shown{hint}"
            problems.append(Problem(shown, block.lineno, None, "warning", "theme-block", message))
    return problems


def _builtin_name(theme: Theme, name: str) -> str | None:
    """The name that reaches the built-in template a user's template of the same name hides (`base/slides/closing.html`)."""
    for layer in theme.layers:
        if _is_builtin(layer) and (layer.folder / name).is_file():
            return f"{layer.name}/{name}"
    return None


def _is_builtin(layer: ThemeLayer) -> bool:
    return layer.name in BUILTIN_THEMES or layer.name == BASE_THEME


def _blocks_of(environment: Any, name: str, seen: set[str]) -> set[str]:
    """Every block a template and the templates it extends define: what an extending template may fill."""
    from jinja2 import TemplateError, nodes

    if name in seen:
        return set()
    seen.add(name)
    try:
        source, filename, _ = environment.loader.get_source(environment, name)
        tree = environment.parse(source, name, filename)
    except TemplateError:
        return set()
    blocks = {block.name for block in tree.find_all(nodes.Block)}
    extends = tree.find(nodes.Extends)
    if extends is not None and isinstance(extends.template, nodes.Const) and isinstance(extends.template.value, str):
        blocks |= _blocks_of(environment, extends.template.value, seen)
    return blocks


def _top_level_blocks(tree: Any) -> list[Any]:
    """The blocks a template fills for its parent: those not inside another of its blocks."""
    from jinja2 import nodes

    blocks = list(tree.find_all(nodes.Block))
    nested = {id(inner) for block in blocks for inner in block.find_all(nodes.Block)}
    return [block for block in blocks if id(block) not in nested]
