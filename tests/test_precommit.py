"""The pre-commit hook, run by the real `pre-commit` on a repository of decks, as the README sets it up.

pre-commit installs the hook from this checkout's last commit (HEAD) as it would from deckgen's
repository: it builds deckgen from source (hatch_build.py runs `npm ci` for reveal.js), which is
the slow part, done once for the module.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import deckgen

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.install


def _git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def readme_config(repo: str, rev: str) -> str:
    """The README's `.pre-commit-config.yaml` snippet, with deckgen's repository and revision filled in."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [snippet] = re.findall(r"<!-- pre-commit-config:[^\n]*-->\n```yaml\n(.*?)```", readme, re.S)
    assert "DECKGEN_GIT_URL" in snippet and "DECKGEN_REV" in snippet
    return snippet.replace("DECKGEN_GIT_URL", repo).replace("DECKGEN_REV", rev)


@pytest.fixture(scope="module")
def hook_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: pre-commit installs a hook from a repository")
    if shutil.which("npm") is None:
        if os.environ.get("CI"):
            pytest.fail("CI=true but no npm: building deckgen for the hook needs it")
        pytest.skip("no npm: pre-commit cannot build deckgen for the hook")
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {
        **os.environ,
        "PRE_COMMIT_HOME": str(home),
        "GIT_AUTHOR_NAME": "Deck Author",
        "GIT_AUTHOR_EMAIL": "author@example.com",
        "GIT_COMMITTER_NAME": "Deck Author",
        "GIT_COMMITTER_EMAIL": "author@example.com",
        "GIT_CONFIG_GLOBAL": os.devnull,  # the machine's own git settings play no part
    }


def test_the_hook_checks_the_decks_a_commit_touches(tmp_path: Path, hook_env: dict[str, str]) -> None:
    pre_commit = str(Path(sys.executable).with_name("pre-commit"))
    repo = tmp_path / "recaps"
    repo.mkdir()
    _git("init", "-q", "-b", "main", cwd=repo)
    deckgen.new_deck(repo / "2019", title="KubeCon Europe 2019 recap")
    deckgen.new_deck(repo / "2020", title="KubeCon Europe 2020 recap")
    (repo / "README.md").write_text("Our recaps.\n", encoding="utf-8")
    config = readme_config(str(ROOT), _git("rev-parse", "HEAD", cwd=ROOT))
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    subprocess.run([pre_commit, "install"], cwd=repo, env=hook_env, check=True, capture_output=True)

    def commit(message: str) -> subprocess.CompletedProcess[str]:
        _git("add", "-A", cwd=repo)
        return subprocess.run(["git", "commit", "-q", "-m", message], cwd=repo, env=hook_env, capture_output=True, text=True)

    # Two good decks: the commit goes through, each deck checked.
    first = commit("Two recaps")
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"deckgen check\.+Passed", first.stdout + first.stderr)

    # A bad video in one deck: the commit stops, with the problem at its file and line, from the top.
    talk = repo / "2020" / "slides" / "10-example-talk.md"
    text = talk.read_text(encoding="utf-8")
    line = text.splitlines().index('video: "https://example.com/your-talk-video"') + 1
    talk.write_text(text.replace("https://example.com/your-talk-video", "ftp://example.com/talk"), encoding="utf-8")
    bad = commit("A talk's video")
    said = bad.stdout + bad.stderr
    assert bad.returncode == 1, said
    assert re.search(r"deckgen check\.+Failed", said)
    assert f"2020/slides/10-example-talk.md:{line}:8: error: 'video': URL scheme 'ftp:' is not allowed" in said
    assert "2020: 1 error, 0 warnings" in said
    assert "2019:" not in said, "only the deck the commit touches is checked"
    assert _git("log", "--format=%s", cwd=repo) == "Two recaps"

    # Once the talk is fixed, its deck passes; a commit that touches no deck checks none.
    talk.write_text(text.replace("https://example.com/your-talk-video", "https://example.com/the-talk"), encoding="utf-8")
    fixed = commit("A talk's video, fixed")
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    (repo / "README.md").write_text("Our recaps, one folder each.\n", encoding="utf-8")
    other = subprocess.run([pre_commit, "run", "--files", "README.md", "--verbose"], cwd=repo, env=hook_env, capture_output=True, text=True)
    assert other.returncode == 0 and "2019:" not in other.stdout and "2020:" not in other.stdout, other.stdout
    assert _git("log", "--format=%s", cwd=repo).splitlines() == ["A talk's video, fixed", "Two recaps"]
