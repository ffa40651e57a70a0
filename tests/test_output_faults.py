"""The output under faults: a build killed at any step, builds racing into one folder, the
leftovers of killed builds, a full disk and a read-only one. Every build here is real: killed
with SIGKILL, paused with SIGSTOP, run at once, or run on a file system mounted for the test."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import talk, write_deck

import deckgen
from deckgen.cli import main
from deckgen.manifest import MARKER

ROOT = Path(__file__).resolve().parents[1]
INTERRUPT = ROOT / "tests" / "interrupt.py"
needs_posix = pytest.mark.skipif(sys.platform == "win32", reason="signals and mounts are POSIX")


def snapshot(out: Path) -> dict[str, bytes] | None:
    """Every file of a whole deck (its marker last written, so it is there), or None when OUT is missing."""
    if not out.exists():
        return None
    assert (out / MARKER).is_file(), f"{out} has no marker: not a whole deck"
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file() and p.name != MARKER}


def set_version(deck: Path, version: str) -> None:
    (deck / "slides/1.md").write_text(talk(f"Talk {version}", video=f"https://example.com/{version}", body=f"# Version {version}\n"))


def leftovers(site: Path) -> list[str]:
    return sorted(p.name for p in site.iterdir() if p.name != "out")


def env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DECKGEN_CACHE_DIR": str(tmp_path / "cache")}


@pytest.fixture()
def deck(tmp_path: Path) -> Path:
    return write_deck(tmp_path / "deck", "title: Faults\n", {"slides/0.md": "# Intro\n"})


@pytest.fixture()
def versions(deck: Path, tmp_path: Path) -> dict[str, dict[str, bytes] | None]:
    """The whole output of each version of the deck, built without a fault."""
    refs = {}
    for version in ("A", "B"):
        set_version(deck, version)
        refs[version] = snapshot(deckgen.build(deck, tmp_path / f"ref-{version}").out)
    return refs


def interrupted(
    tmp_path: Path, step: int, action: str, site: Path, deck: Path, *options: str, build: tuple[str, ...] = ()
) -> subprocess.Popen[str]:
    """`deckgen build DECK -o SITE/out`, stopped (`action`) at the `step`th change under SITE (see interrupt.py)."""
    deckgen_args = ["build", str(deck), "-o", str(site / "out"), *build]
    command = [sys.executable, str(INTERRUPT), str(step), action, str(site), *options, "--", *deckgen_args]
    return subprocess.Popen(command, env=env(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@needs_posix
@pytest.mark.parametrize("swap", ["exchange", "two-step"])
def test_a_build_killed_at_any_step_leaves_a_whole_deck(deck: Path, tmp_path: Path, versions: dict[str, object], swap: str) -> None:
    """kill -9 at each change to the file system in turn: OUT always holds the old deck or the new
    one (the two-step swap, where the system has no exchange, may leave it moved aside: the next
    build puts it back even when that build fails); the next build cleans up."""
    site, out = tmp_path / "site", tmp_path / "site" / "out"
    site.mkdir()
    current = "A"
    set_version(deck, current)
    deckgen.build(deck, out)
    options = ("--no-exchange",) if swap == "two-step" else ()
    set_version(deck, "B")
    counted = interrupted(tmp_path, 0, "count", site, deck, *options)
    _, err = counted.communicate(timeout=120)
    last = int(err.rsplit("steps: ", 1)[1])
    assert last > 20  # the steps are seen: files written, folders made, the swap
    set_version(deck, current)
    deckgen.build(deck, out)
    # The steps that write the staging folder are alike: every third of them (the two-step swap
    # differs only at its end: none), and each of the others.
    writing = range(6, last - 10, 3) if swap == "exchange" else ()
    steps = sorted({*range(1, 6), *writing, *range(max(1, last - 10), last + 2)})
    for step in steps:
        target = "B" if current == "A" else "A"
        set_version(deck, target)
        build = interrupted(tmp_path, step, "kill", site, deck, *options)
        _, err = build.communicate(timeout=120)
        if step > last:  # past the last step: it ran to the end
            assert build.returncode == 0, err
            assert snapshot(out) == versions[target]
            break
        assert build.returncode == -signal.SIGKILL, err
        found = snapshot(out)
        if found is None:
            assert swap == "two-step", f"step {step}: OUT is gone"
            (deck / "deck.yaml").write_text("title: [unclosed\n")  # the next build fails, and still puts OUT back
            with pytest.raises(deckgen.DeckError):
                deckgen.build(deck, out)
            (deck / "deck.yaml").write_text("title: Faults\n")
            found = snapshot(out)
        assert found in (versions[current], versions[target]), f"step {step}: OUT is not a whole deck"
        deckgen.build(deck, out)
        assert snapshot(out) == versions[target]
        assert leftovers(site) == [], f"step {step}"
        current = target


@needs_posix
@pytest.mark.parametrize("swap", ["exchange", "two-step"])
def test_builds_racing_into_one_folder_each_leave_a_whole_deck(tmp_path: Path, swap: str) -> None:
    """Builds of two decks, each paused just before its swap, then let go at once: every one ends
    well (or says why, exit 1), and OUT holds one whole deck."""
    decks = {
        version: write_deck(tmp_path / f"deck-{version}", f"title: Race {version}\n", {"slides/1.md": talk(f"Talk {version}", video=f"https://example.com/{version}")})
        for version in ("A", "B")
    }
    refs = [snapshot(deckgen.build(d, tmp_path / f"ref-{v}").out) for v, d in decks.items()]
    site, rehearsal = tmp_path / "site", tmp_path / "rehearsal"
    site.mkdir()
    rehearsal.mkdir()
    options = ("--no-exchange",) if swap == "two-step" else ()
    if swap == "two-step":  # it differs from the exchange only over an OUT: one round, over one
        for folder in (site, rehearsal):
            deckgen.build(decks["B"], folder / "out")
    for _ in range(2 if swap == "exchange" else 1):  # the first round into a missing OUT, then over one
        # --no-cache: a deck already in OUT is built again, not recognised as unchanged.
        counted = interrupted(tmp_path, 0, "count", rehearsal, decks["A"], *options, build=("--no-cache",))  # the same steps, apart
        last = int(counted.communicate(timeout=120)[1].rsplit("steps: ", 1)[1])
        builds = [interrupted(tmp_path, last - 2, "stop", site, decks["AB"[n % 2]], *options, build=("--no-cache",)) for n in range(6)]
        for build in builds:
            _wait_until_stopped(build)
        for build in builds:
            os.kill(build.pid, signal.SIGCONT)
        for build in builds:
            _, err = build.communicate(timeout=300)
            assert "internal error" not in err and "Traceback" not in err, err
            assert build.returncode == 0 or (build.returncode == 1 and "deckgen: error:" in err), err
        assert snapshot(site / "out") in refs
        assert leftovers(site) == []


@needs_posix
def test_leftovers_of_killed_builds_are_removed_and_a_running_build_is_left_alone(deck: Path, tmp_path: Path) -> None:
    site, out = tmp_path / "site", tmp_path / "site" / "out"
    site.mkdir()
    set_version(deck, "A")
    deckgen.build(deck, out)
    set_version(deck, "B")
    killed: list[str] = []
    for step in (5, 9, 15):  # each killed build leaves its staging folder, and removes the one before
        assert interrupted(tmp_path, step, "kill", site, deck).wait(timeout=120) == -signal.SIGKILL
        [left] = leftovers(site)
        assert left.startswith(".out.deckgen-") and left not in killed
        killed.append(left)
    (site / ".out.deckgen-notes").mkdir()  # not deckgen's: a name it would not make
    (site / "keep.txt").write_text("mine")
    paused = interrupted(tmp_path, 9, "stop", site, deck)
    try:
        running = _wait_for_new_leftover(site, {killed[-1]})
        _wait_until_stopped(paused)
        assert killed[-1] not in leftovers(site)  # the paused build removed it before it stopped
        paused_leftovers = leftovers(site)
        (site / killed[-1]).mkdir()  # as if killed now: a folder no build holds, whose process is gone
        deckgen.build(deck, out)  # the next build removes that one, not the paused build's
        assert leftovers(site) == paused_leftovers
        assert running in paused_leftovers
    finally:
        os.kill(paused.pid, signal.SIGCONT)
    _, err = paused.communicate(timeout=120)
    assert paused.returncode == 0, err  # its folder was left alone: it finishes
    assert leftovers(site) == [".out.deckgen-notes", "keep.txt"]
    assert (out / "index.html").read_text().count("Version B") == 1


def _wait_for_new_leftover(site: Path, known: set[str]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        new = set(leftovers(site)) - known - {".out.deckgen-notes", "keep.txt"}
        if new:
            return new.pop()
        time.sleep(0.01)
    raise AssertionError("the paused build made no staging folder")


def _wait_until_stopped(build: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if build.poll() is not None:
            raise AssertionError(f"the build ended ({build.returncode}) before its step: {build.communicate()}")
        with contextlib.suppress(OSError):
            if Path(f"/proc/{build.pid}/stat").read_text().split(") ")[1].startswith("T"):
                return
        time.sleep(0.01)
    raise AssertionError("the build did not stop")


def test_a_deck_an_earlier_deckgen_left_aside_is_put_back(deck: Path, tmp_path: Path) -> None:
    """An earlier deckgen, killed between its two renames, left OUT at `.OUT.old-*`: the next build,
    even one that fails, puts it back."""
    site, out = tmp_path / "site", tmp_path / "site" / "out"
    site.mkdir()
    before = snapshot(deckgen.build(deck, out).out)
    aside = site / ".out.old-k2j4h6g8"
    out.rename(aside)
    os.utime(aside, (time.time() - 300, time.time() - 300))
    (deck / "deck.yaml").write_text("title: [unclosed\n")
    with pytest.raises(deckgen.DeckError):
        deckgen.build(deck, out)
    assert snapshot(out) == before
    assert leftovers(site) == []


# A full disk and a read-only one: a file system of its own, mounted for the test (root only;
# CI runs as root).
@contextlib.contextmanager
def small_file_system(path: Path, size: str) -> Iterator[Path]:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root on Linux (CI runs the tests as root)")
    path.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


def test_a_full_disk_is_the_machines_fault_and_the_old_deck_stays(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with small_file_system(tmp_path / "disk", "2m") as disk:
        out = disk / "out"
        set_version(deck, "A")
        before = snapshot(deckgen.build(deck, out).out)
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (deck / "slides/big.bin").write_bytes(os.urandom(free + 100_000))  # more than the disk has left
        (deck / "slides/1.md").write_text(talk("Talk A", video="https://example.com/A", body="[data](big.bin)\n"))
        assert main(["build", str(deck), "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"deckgen: error: no space left on device writing {out}" in err, err
        assert "internal error" not in err
        assert snapshot(out) == before
        assert sorted(p.name for p in disk.iterdir()) == ["out"]  # the staging folder went too


def test_a_read_only_disk_is_the_machines_fault_and_the_old_deck_stays(
    deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with small_file_system(tmp_path / "disk", "4m") as disk:
        out = disk / "out"
        set_version(deck, "A")
        before = snapshot(deckgen.build(deck, out).out)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        set_version(deck, "B")
        assert main(["build", str(deck), "-o", str(out)]) == 1
        err = capsys.readouterr().err
        assert f"deckgen: error: read-only file system writing {out}" in err, err
        assert snapshot(out) == before


def test_an_output_folder_that_is_a_mount_point_is_refused_plainly(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with small_file_system(tmp_path / "disk", "4m") as disk:
        assert main(["build", str(deck), "-o", str(disk)]) == 1
        err = capsys.readouterr().err
        assert f"deckgen: error: cannot replace {disk}: it is a mount point" in err, err
        assert list(disk.iterdir()) == []
        assert sorted(p.name for p in tmp_path.iterdir()) == ["deck", "disk"]


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root writes anywhere; the mounted read-only disk covers root")
def test_a_folder_without_write_permission_is_the_machines_fault(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    out = site / "out"
    before = snapshot(deckgen.build(deck, out).out)
    set_version(deck, "B")
    site.chmod(0o555)
    try:
        assert main(["build", str(deck), "-o", str(out)]) == 1
    finally:
        site.chmod(0o755)
    assert f"deckgen: error: permission denied writing {out}" in capsys.readouterr().err
    assert snapshot(out) == before


def test_every_command_that_writes_says_the_disk_is_read_only(deck: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`new` and `import` write files too: a read-only disk is the machine's fault (exit 1), never a bug (exit 3)."""
    schedule = ROOT / "tests" / "fixtures" / "schedules" / "frab.xml"
    with small_file_system(tmp_path / "disk", "4m") as disk:
        assert main(["new", str(disk / "kept")]) == 0
        before = snapshot_files(disk / "kept")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        capsys.readouterr()
        commands = {
            "new": ["new", str(disk / "recap")],
            "import": ["import", str(schedule), "--into", str(disk / "kept"), "--pick", "101"],
        }
        for name, argv in commands.items():
            assert main(argv) == 1, name
            err = capsys.readouterr().err
            assert "Read-only file system" in err and str(disk) in err and "[deckgen.unwritable]" in err, (name, err)
            assert "internal error" not in err
        assert snapshot_files(disk / "kept") == before and not (disk / "recap").exists()


def test_a_new_deck_on_a_full_disk_leaves_no_half_deck(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with small_file_system(tmp_path / "disk", "64k") as disk:
        (disk / "fill").write_bytes(b"\0" * (os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize))
        assert main(["new", str(disk / "recap")]) == 1
        err = capsys.readouterr().err
        assert f"{disk / 'recap'}: error: cannot write the deck: No space left on device [deckgen.unwritable]" in err, err
        assert sorted(p.name for p in disk.iterdir()) == ["fill"]
        (disk / "empty").mkdir()  # a folder that was there, empty, stays: only what new wrote goes
        assert main(["new", str(disk / "empty")]) == 1
        assert sorted(p.name for p in disk.iterdir()) == ["empty", "fill"] and list((disk / "empty").iterdir()) == []


def test_a_pdf_on_a_read_only_disk_is_the_machines_fault(deck: Path, tmp_path: Path, chromium_path: str, capsys) -> None:
    with small_file_system(tmp_path / "disk", "4m") as disk:
        (disk / "deck.pdf").write_bytes(b"%PDF- the old one")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        assert main(["pdf", str(deck), "-o", str(disk / "deck.pdf"), "--chromium", chromium_path]) == 1
        err = capsys.readouterr().err
        assert f"deckgen: error: read-only file system writing {disk / 'deck.pdf'}" in err, err
        assert (disk / "deck.pdf").read_bytes() == b"%PDF- the old one"


def snapshot_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
