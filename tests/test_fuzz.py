"""Random decks: every build either succeeds or reports problems; never another exception, never a hang."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deckgen

KEYS = ["title", "speakers", "track", "video", "links", "class", "vidoe", "url", "theme", "tracks", "reveal", "html", "slides", "closing"]
yaml_scalars = st.one_of(
    st.text(max_size=30),
    st.integers(),
    st.booleans(),
    st.none(),
    st.sampled_from(["https://example.com/v", "javascript:alert(1)", "data:,x", "../../etc/passwd", "kubecon", "default", "a"]),
)
yaml_values = st.recursive(yaml_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4), max_leaves=8)
LINE_PIECES = ["---", "--", "Note:", "```", "~~~", "# Heading", "- item", "![i](img/x.png)", "![o](../../x.png)", "<div>", "</div>", "| a | b |", "|---|---|", "", "\ufeff", "\r"]
body_lines = st.lists(st.one_of(st.sampled_from(LINE_PIECES), st.text(max_size=40)), max_size=12)


def front_matter_text(value: object) -> str:
    import yaml

    try:
        return yaml.safe_dump(value, allow_unicode=True)
    except yaml.YAMLError:
        return "title: x\n"


files = st.lists(
    st.tuples(
        st.one_of(st.none(), yaml_values, st.text(max_size=40)),
        body_lines,
        st.one_of(st.none(), st.binary(max_size=30)),
    ),
    min_size=0,
    max_size=4,
)
decks = st.tuples(st.one_of(yaml_values, st.text(max_size=60), st.just({"title": "T", "tracks": ["a", "b"]})), files)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(decks)
def test_random_decks_build_or_report_problems(spec: tuple[object, list[tuple[object, list[str], bytes | None]]]) -> None:
    deck_yaml, file_specs = spec
    root = Path(tempfile.mkdtemp(prefix="deckgen-fuzz-"))
    try:
        deck = root / "deck"
        (deck / "slides").mkdir(parents=True)
        (deck / "deck.yaml").write_text(deck_yaml if isinstance(deck_yaml, str) else front_matter_text(deck_yaml), encoding="utf-8")
        for index, (front, lines, noise) in enumerate(file_specs):
            text = ""
            if front is not None:
                text = "---\n" + (front if isinstance(front, str) else front_matter_text(front)) + "---\n"
            data = (text + "\n".join(lines)).encode("utf-8", "surrogatepass")
            if noise:
                data += noise
            (deck / "slides" / f"{index}.md").write_bytes(data)
        try:
            result = deckgen.build(deck, root / "out")
        except deckgen.DeckError as error:
            assert error.problems, "a DeckError must carry at least one problem"
            assert all(p.path and p.message for p in error.problems)
            assert not (root / "out").exists()
        else:
            assert (result.out / "index.html").is_file()
            assert result.slides >= 2
    finally:
        shutil.rmtree(root, ignore_errors=True)
