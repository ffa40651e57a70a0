#!/usr/bin/env python3
"""Benchmark deckgen against pandoc's revealjs writer and Marp CLI on the same slides.

Makes scaled copies of the example deck (every URL made distinct per copy), then times, in
alternating rounds so machine noise hits every tool alike:

- deckgen cold (empty cache, no output yet), no-op (nothing changed), edit (one talk file changed);
- pandoc and Marp CLI converting the same slides (the bodies of the same Markdown files).

Prints medians, ratios against the peers measured in the same run, and peak memory (max RSS of the
process), and writes the table to docs/benchmark.md. deckgen's modules are byte-compiled first, as
pip does for an installed package. Installs pandoc (apt) and Marp CLI (npm, into
bench/.tools) when they are missing.

    .venv/bin/python bench/run.py [--runs 5] [--scales 1,10,50]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from report import write_section  # noqa: E402  (bench/report.py: its own section of docs/benchmark.md)

EXAMPLE = ROOT / "examples" / "kubecon-eu-2019"
TOOLS = ROOT / "bench" / ".tools"
MARP_VERSION = "4.5.1"
URL = re.compile(r"https?://[^\s)\"'>\]]+")
TRACK_LINE = re.compile(r"^track: *(.+)$", re.M)


@dataclass
class Sample:
    seconds: float
    peak_mb: float


def run(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Sample:
    """Run a command to completion; its wall time and its own peak memory (from wait4)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{err[-2000:]}")
    return Sample(elapsed, usage.ru_maxrss / 1024)


def ensure_pandoc() -> str:
    found = shutil.which("pandoc")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "pandoc"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return shutil.which("pandoc") or sys.exit("pandoc did not install")
    sys.exit("pandoc is missing: install Debian's pandoc")


def ensure_marp() -> str:
    marp = TOOLS / "node_modules" / ".bin" / "marp"
    if not marp.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        package = f"@marp-team/marp-cli@{MARP_VERSION}"
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS), package], check=True)
    return str(marp)


def byte_compile_deckgen() -> None:
    """Byte-compile deckgen as pip does when it installs a package (not done for an editable one).

    Where PYTHONDONTWRITEBYTECODE is set, an editable checkout would otherwise be compiled from
    source on every run: that measures the checkout, not deckgen as a user installs it.
    """
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("deckgen")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(str(Path(spec.origin).parent), quiet=1)


def deckgen_command() -> list[str]:
    script = Path(sys.executable).with_name("deckgen")
    return [str(script)] if script.exists() else [sys.executable, "-m", "deckgen"]


def make_scaled_deck(copies: int, dest: Path) -> Path:
    """`copies` copies of the example's slides, each with its own tracks and distinct URLs."""
    import yaml

    deck_yaml = yaml.safe_load((EXAMPLE / "deck.yaml").read_text(encoding="utf-8"))
    tracks = deck_yaml.get("tracks", [])
    deck_yaml["tracks"] = []
    for k in range(copies):
        for track in tracks:
            item = dict(track) if isinstance(track, dict) else {"name": track}
            item["name"] = f"{item['name']}-{k}"
            deck_yaml["tracks"].append(item)
        for source in sorted((EXAMPLE / "slides").rglob("*")):
            if not source.is_file():
                continue
            target = dest / "slides" / f"c{k:03d}" / source.relative_to(EXAMPLE / "slides")
            target.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            text = URL.sub(lambda m, k=k: m.group(0) + ("&" if "?" in m.group(0) else "?") + f"copy={k}", text)
            text = TRACK_LINE.sub(lambda m, k=k: f"track: {m.group(1).strip()}-{k}", text)
            target.write_text(text, encoding="utf-8")
    (dest / "deck.yaml").write_text(yaml.safe_dump(deck_yaml, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def peer_markdown(deck: Path) -> Path:
    """The same slides as one Markdown file, for pandoc and Marp: bodies joined by `---`."""
    bodies = []
    for path in sorted((deck / "slides").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---\n"):
            text = text.split("\n---\n", 1)[1]
        text = re.sub(r"^--$", "---", text, flags=re.M)
        bodies.append(text.strip())
    combined = deck.parent / f"{deck.name}.md"
    combined.write_text("\n\n---\n\n".join(bodies) + "\n", encoding="utf-8")
    return combined


def edit_and_build(deck: Path, round_number: int, command: list[str], env: dict[str, str]) -> Sample:
    """Change one talk file, then build: the time of the build only."""
    touch_talk(deck, round_number)
    return run(command, env)


def touch_talk(deck: Path, round_number: int) -> None:
    """Change one talk file, as an organiser's save would."""
    talk = next(p for p in sorted((deck / "slides").rglob("*.md")) if "video:" in p.read_text(encoding="utf-8"))
    with talk.open("a", encoding="utf-8") as handle:
        handle.write(f"\nedited in round {round_number}\n")


def serve_rebuild_seconds(deckgen: list[str], deck: Path, rounds: int, env: dict[str, str]) -> list[Sample]:
    """`deckgen serve`'s own `rebuilt in N ms` after each edit of one talk file."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [*deckgen, "serve", str(deck), "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    )
    samples: list[Sample] = []
    try:
        assert proc.stdout is not None
        while "built in" not in (line := proc.stdout.readline()):
            if not line:
                raise SystemExit("deckgen serve stopped before its first build")
        for round_number in range(rounds):
            time.sleep(0.3)  # let the watcher settle between saves
            touch_talk(deck, 1000 + round_number)
            while not (line := proc.stdout.readline()).startswith("rebuilt in "):
                if not line:
                    raise SystemExit("deckgen serve stopped")
            samples.append(Sample(int(line.split()[2]) / 1000, 0.0))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    return samples


ALONE = "from deckgen import cli, parallel; parallel.MAX_PROCESSES = 1; cli.run()"
"""`deckgen` without worker processes: what the pool saves."""

# The worker pool (src/deckgen/parallel.py) starts workers only when the work pays for their start:
# these are the numbers its constants come from (START_SECONDS, qr.CODE_SECONDS, render.SLIDE_SECONDS).
POOL_PROBE = """
import json, statistics, sys, time
from deckgen import parallel, qr, render
from deckgen.builder import checked_deck
from deckgen.linklist import collect_links
from deckgen.views import deck_urls_needing_codes

deck, _ = checked_deck(sys.argv[1], use_cache=False)
rounds = int(sys.argv[2])
urls = list(dict.fromkeys(deck_urls_needing_codes(deck, collect_links(deck))))


def first_answer(method, n):
    started = time.perf_counter()
    with parallel.WorkerPool(2, method) as pool:  # one worker, asked for one code
        [worker] = pool._start()
        assert worker.run(qr._make_code, [f"https://example.com/{method}/{n}"])
    return time.perf_counter() - started


def per_item(work, count):
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) / count


qr.make_qr("https://example.com/warm-up")
render._render_part(deck.parts[0])
slides = sum(len(part.slides) for part in deck.parts)
print(json.dumps({
    "fork": statistics.median(first_answer("fork", n) for n in range(rounds)),
    "spawn": statistics.median(first_answer("spawn", n) for n in range(rounds)),
    "code": statistics.median(per_item(lambda: [qr.make_qr(u + f"#{n}") for u in urls], len(urls)) for n in range(rounds)),
    "slide": statistics.median(per_item(lambda: [render._render_part(p) for p in deck.parts], slides) for _ in range(rounds)),
}))
"""


def measure_pool(deck: Path, rounds: int) -> str:
    """A worker's start by each method, and what one QR code and one slide cost, against the pool's constants."""
    import json

    probe = subprocess.run([sys.executable, "-c", POOL_PROBE, str(deck), str(rounds)], capture_output=True, text=True, check=True)
    m = json.loads(probe.stdout)
    constants = subprocess.run(
        [sys.executable, "-c", "from deckgen import parallel, qr, render; print(parallel.START_SECONDS['fork'], "
         "parallel.START_SECONDS['spawn'], qr.CODE_SECONDS, render.SLIDE_SECONDS, parallel.PAYBACK)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    fork, spawn, code, slide, payback = (float(c) for c in constants)
    return "\n".join([
        "",
        f"Worker pool, measured (medians of {rounds}) and as set in the code:",
        "",
        "| | measured | in the code |",
        "|---|---|---|",
        f"| a worker's first answer, forked | {m['fork'] * 1000:.1f} ms | {fork * 1000:.1f} ms |",
        f"| a worker's first answer, spawned | {m['spawn'] * 1000:.1f} ms | {spawn * 1000:.1f} ms |",
        f"| one QR code | {m['code'] * 1000:.2f} ms | {code * 1000:.2f} ms |",
        f"| one slide | {m['slide'] * 1000:.3f} ms | {slide * 1000:.3f} ms |",
        "",
        f"Workers start when a stage's work is {payback:.0f}× their start: from {payback * fork / code:.0f} missing codes or"
        f" {payback * fork / slide:.0f} slides when forked, {payback * spawn / code:.0f} codes or {payback * spawn / slide:.0f}"
        " slides when spawned (a threaded program, macOS, Windows).",
        "",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scales", default="1,10,50")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmark.md")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")]
    pandoc, marp, deckgen = ensure_pandoc(), ensure_marp(), deckgen_command()
    byte_compile_deckgen()
    version = subprocess.run([*deckgen, "--version"], capture_output=True, text=True, check=True).stdout.strip()
    results: dict[tuple[int, str], list[Sample]] = {}
    load_before = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        work = Path(tmp)
        for scale in scales:
            deck = make_scaled_deck(scale, work / f"x{scale}")
            markdown = peer_markdown(deck)
            out = work / f"out-x{scale}"
            for round_number in range(args.runs):
                cache = work / f"cache-x{scale}-{round_number}"
                env = {**os.environ, "DECKGEN_CACHE_DIR": str(cache)}
                shutil.rmtree(out, ignore_errors=True)
                deckgen_build = [*deckgen, "build", str(deck), "-o", str(out)]
                pandoc_build = [pandoc, "-f", "markdown", "-t", "revealjs", "-s", str(markdown), "-o", str(work / "pandoc.html")]
                marp_build = [marp, "--html", str(markdown), "-o", str(work / "marp.html")]
                alone_env = {**os.environ, "DECKGEN_CACHE_DIR": str(work / f"cache-alone-x{scale}-{round_number}")}
                shutil.rmtree(work / "out-alone", ignore_errors=True)
                alone_build = [sys.executable, "-c", ALONE, "build", str(deck), "-o", str(work / "out-alone")]
                steps = [
                    ("deckgen cold", partial(run, deckgen_build, env)),
                    ("deckgen cold, no workers", partial(run, alone_build, alone_env)),
                    ("pandoc", partial(run, pandoc_build)),
                    ("deckgen no-op", partial(run, deckgen_build, env)),
                    ("marp", partial(run, marp_build, {**os.environ, "CI": "1"})),
                    ("deckgen edit", partial(edit_and_build, deck, round_number, deckgen_build, env)),
                ]
                for name, step in steps:
                    results.setdefault((scale, name), []).append(step())
                print(f"x{scale} round {round_number + 1}/{args.runs} done", file=sys.stderr)
            if scale <= 10:
                env = {**os.environ, "DECKGEN_CACHE_DIR": str(work / f"cache-serve-x{scale}")}
                results[(scale, "deckgen serve edit")] = serve_rebuild_seconds(deckgen, deck, args.runs, env)
        pool = measure_pool(make_scaled_deck(1, work / "pool-x1"), max(5, args.runs))
    version_runs = [run([*deckgen, "--version"]).seconds for _ in range(max(5, args.runs))]
    version_ms = statistics.median(version_runs) * 1000
    load_after = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    report = render_report(results, scales, args.runs, version) + f"\n`deckgen --version`: {version_ms:.0f} ms (median)\n" + pool
    # Other work on the machine slows every tool, and the ratios get noisier: say how busy it was.
    report += f"\nLoad average (1 minute) at the start and the end of the run: {load_before:.1f}, {load_after:.1f}.\n"
    print(report)
    write_section(args.out, "build", report)
    return 0


def render_report(results: dict[tuple[int, str], list[Sample]], scales: list[int], runs: int, version: str) -> str:
    def median(scale: int, name: str) -> float:
        return statistics.median(s.seconds for s in results[(scale, name)])

    def peak(scale: int, name: str) -> str:
        top = max(s.peak_mb for s in results[(scale, name)])
        return f"{top:.0f}" if top else "(in serve)"

    lines = [
        f"# Benchmark: {version} against pandoc and Marp CLI",
        "",
        f"Made by `bench/run.py` on {os.cpu_count()} cores, {runs} alternating rounds; medians in seconds, peak RSS in MB.",
        "",
        "| scale | tool | median s | × pandoc | × Marp | peak MB |",
        "|---|---|---|---|---|---|",
    ]
    for scale in scales:
        for name in ("deckgen cold", "deckgen cold, no workers", "deckgen no-op", "deckgen edit", "deckgen serve edit", "pandoc", "marp"):
            if (scale, name) not in results:
                continue
            value = median(scale, name)
            lines.append(
                f"| ×{scale} | {name} | {value:.3f} | {value / median(scale, 'pandoc'):.2f} | {value / median(scale, 'marp'):.2f}"
                f" | {peak(scale, name)} |"
            )
    if len(scales) > 1 and 10 in scales and 50 in scales:
        lines += ["", f"deckgen cold ×50 / ×10: {median(50, 'deckgen cold') / median(10, 'deckgen cold'):.2f}"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
