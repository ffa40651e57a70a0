"""The built-in themes' templates, compiled by jinja2 when the package is built.

jinja2 spends a good part of a small first build turning the base theme's templates into Python; the
package carries that Python instead (`deckgen/_compiled_themes/`, written by `hatch_build.py`), and
Python keeps its bytecode like any module's. A compiled template is found by a digest of jinja2's
version, the compile options, the template's name and its exact source, so an edited template, a
user theme or another jinja2 is never served old code: it is compiled as usual.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, MutableMapping
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2

from .cache import Cache, library_versions, make_key
from .catalogue import JINJA_I18N, install_words
from .later import TEMPLATE_FILTERS
from .themefolder import TEMPLATE_SUFFIXES, is_theme_file

PACKAGE = f"{__package__}._compiled_themes"
COMPILED_FOLDER = Path(__file__).with_name("_compiled_themes")
COMPILE_OPTIONS: dict[str, Any] = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
    "extensions": ("jinja2.ext.i18n",),
}
"""Every `jinja2.Environment` option that changes compiled code; deckgen's environments use these
(and `catalogue.install_words`, whose `JINJA_I18N` settings change it too)."""
COMPILE_SETTINGS = f"{sorted(COMPILE_OPTIONS.items())}\0{sorted(JINJA_I18N.items())}\0{sorted(TEMPLATE_FILTERS)}"
"""Everything besides jinja2's version and the source that decides a template's compiled code."""


def module_name(name: str, source: str) -> str:
    """The compiled module of template `name` with this exact `source`, under this jinja2."""
    digest = hashlib.sha256(f"{jinja2.__version__}\0{COMPILE_SETTINGS}\0{name}\0{source}".encode("utf-8", "surrogatepass"))
    return f"t_{digest.hexdigest()[:32]}"


def precompiled_code(name: str, source: str, filename: str | None) -> CodeType | None:
    """The packaged code of a template, or None when the package has none for this source."""
    from importlib.machinery import SourceFileLoader

    module = module_name(name, source)
    path = COMPILED_FOLDER / f"{module}.py"
    if not path.is_file():  # not compiled, or no compiled themes in this installation
        return None
    # Python's own .pyc cache makes this a read, not a compile; the module is never executed.
    code = SourceFileLoader(f"{PACKAGE}.{module}", str(path)).get_code(f"{PACKAGE}.{module}")
    if code is None:
        return None
    return _with_filename(code, filename) if filename else code


def _with_filename(code: CodeType, filename: str) -> CodeType:
    """The code as if compiled from the template file: tracebacks and errors name the template."""
    consts = tuple(_with_filename(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class ThemeFolderLoader(jinja2.FileSystemLoader):
    """jinja2's loader of template files, limited to what a theme folder is made of (`themefolder.py`):
    a dot file, or a file reached through a link out of the folder, is not found."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        if not any(is_theme_file(Path(folder), Path(filename)) for folder in self.searchpath):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


class PrecompiledLoader(jinja2.BaseLoader):
    """Finds templates with `inner`; loads the packaged code when it matches, else compiles as usual."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Callable[[], bool] | None]:
        return self.inner.get_source(environment, template)

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()

    def load(
        self, environment: jinja2.Environment, name: str, globals: MutableMapping[str, Any] | None = None
    ) -> jinja2.Template:
        source, filename, uptodate = self.get_source(environment, name)
        code = precompiled_code(name, source, filename)
        if code is None:
            return self._compile(environment, name, source, filename, uptodate, globals)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)

    @staticmethod
    def _compile(
        environment: jinja2.Environment,
        name: str,
        source: str,
        filename: str | None,
        uptodate: Callable[[], bool] | None,
        globals: MutableMapping[str, Any] | None,
    ) -> jinja2.Template:
        """jinja2's own way (`BaseLoader.load`): the bytecode cache, else the compiler."""
        cache = environment.bytecode_cache
        bucket = cache.get_bucket(environment, name, filename, source) if cache is not None else None
        code = bucket.code if bucket is not None else None
        if code is None:
            code = environment.compile(source, name, filename)
            if cache is not None and bucket is not None:
                bucket.code = code
                cache.set_bucket(bucket)
        return environment.template_class.from_code(environment, code, globals or {}, uptodate)


class CachedBytecode(jinja2.BytecodeCache):
    """A user theme's compiled templates, kept in deckgen's cache (`cache.py`): checked when read
    back, keyed by jinja2's version and the compile options as well as the template's source."""

    def __init__(self, cache_root: Path) -> None:
        self.cache = Cache(cache_root, "templates")

    @staticmethod
    def _key(bucket: jinja2.bccache.Bucket) -> str:
        return make_key("template", library_versions("jinja2"), COMPILE_SETTINGS, bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        data = self.cache.get(self._key(bucket))
        if isinstance(data, bytes):
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.cache.put(self._key(bucket), bucket.bytecode_to_string())
        self.cache.flush()


def write_precompiled(themes: Path, layers: tuple[str, ...], target: Path) -> list[Path]:
    """Compile every template of the built-in theme `layers` under `themes` into modules in `target`.

    Each template is compiled under both names a theme can load it by: `slides/talk.html` (the
    theme chain) and `base/slides/talk.html` (one layer, for `{% extends %}` in an override).
    """
    environment = jinja2.Environment(**COMPILE_OPTIONS)
    environment.filters.update(TEMPLATE_FILTERS)
    install_words(environment)
    target.mkdir(parents=True, exist_ok=True)
    written = [target / "__init__.py"]
    written[0].write_text(
        '"""Generated by deckgen.precompiled when the package was built. The modules here are never imported:\n'
        "their code runs in a jinja2 template's namespace, which defines `environment`.\"\"\"\n",
        encoding="utf-8",
    )
    for layer in layers:
        for path in sorted((themes / layer).rglob("*")):
            if path.suffix not in TEMPLATE_SUFFIXES or not path.is_file():
                continue
            source = path.read_bytes().decode("utf-8")  # as jinja2's FileSystemLoader reads it
            relative = path.relative_to(themes / layer).as_posix()
            for name in (relative, f"{layer}/{relative}"):
                module = target / f"{module_name(name, source)}.py"
                module.write_text(environment.compile(source, name, None, raw=True), encoding="utf-8")
                written.append(module)
    return written
