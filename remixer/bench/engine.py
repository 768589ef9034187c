"""Benchmark figures of the local engine against the ffmpeg CLI doing the same work.

(1) time of a 4 s 1280x720 "sepia, mirror" remix / the CLI's time, target <= 1.15;
(2) peak memory of a fresh process rendering a 12 s 1792x1024 remix / the CLI's, target <= 1.0;
(3) that 12 s peak / the 4 s peak at the same size, target <= 1.1 (memory must not grow with
length).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from remixer.engine import encoding, render_create, render_remix
from remixer.engine.colour import SEPIA
from remixer.recipes import parse_recipe

Report = Callable[[str, float, str], None]
RECIPE = "sepia, mirror"
RUNS = 5
SIZE = "1792x1024"  # the largest size the engine is asked for
PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Runs a command and prints its peak resident memory in kB, from wait4's rusage.
LAUNCHER = (
    "import os, subprocess, sys; "
    "child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL); "
    "_, status, usage = os.wait4(child.pid, 0); "
    "code = os.waitstatus_to_exitcode(status); "
    "print(usage.ru_maxrss); sys.exit(code)"
)
# A fresh interpreter that imports only the engine, as a render worker would.
ENGINE_CHILD = (
    "import sys; from pathlib import Path; "
    "from remixer.engine import render_remix; from remixer.recipes import parse_recipe; "
    "render_remix(source=Path(sys.argv[1]), recipe=parse_recipe(sys.argv[2]), "
    "output=Path(sys.argv[3]), on_progress=lambda done, total: None)"
)


def _ffmpeg() -> str:
    path = shutil.which("ffmpeg")
    if path is None:
        raise RuntimeError(
            "The engine benchmark compares against the ffmpeg CLI, which is "
            "missing: install it with `apt-get install ffmpeg`."
        )
    return path


def _cli_command(source: Path, output: Path) -> list[str]:
    """The CLI doing what the engine does for RECIPE, with the engine's encoder settings."""
    x264 = encoding.X264_OPTIONS
    encoder = (
        f"-c:v libx264 -preset {x264['preset']} -crf {x264['crf']} "
        f"-threads {encoding.ENCODER_THREADS} -pix_fmt yuv420p -movflags +faststart"
    )
    head = [_ffmpeg(), "-nostdin", "-loglevel", "error", "-y", "-i", str(source)]
    filters = ["-vf", f"hflip,colorchannelmixer={SEPIA}"]
    return [*head, *filters, *encoder.split(), str(output)]


def _engine_command(source: Path, output: Path) -> list[str]:
    return [sys.executable, "-c", ENGINE_CHILD, str(source), RECIPE, str(output)]


def _make_source(workdir: Path, size: str, seconds: int) -> Path:
    path = workdir / f"source-{size}-{seconds}s.mp4"
    render_create(
        prompt="ocean waves at sunset",
        size=size,
        seconds=seconds,
        output=path,
        reference_image=None,
        on_progress=lambda d, t: None,
    )
    return path


def _time_engine(source: Path, output: Path) -> float:
    start = time.perf_counter()
    render_remix(
        source=source,
        recipe=parse_recipe(RECIPE),
        output=output,
        on_progress=lambda done, total: None,
    )
    return time.perf_counter() - start


def _time_cli(source: Path, output: Path) -> float:
    start = time.perf_counter()
    subprocess.run(_cli_command(source, output), check=True)
    return time.perf_counter() - start


def _peak_rss_mb(command: list[str]) -> float:
    """Peak resident memory of one process, from its own rusage (wait4).

    Started from a small launcher rather than from this process: Linux counts the memory of
    the process a child was forked from into the child's peak, and this one has rendered
    sources.
    """
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    launcher = [sys.executable, "-c", LAUNCHER, *command]
    result = subprocess.run(
        launcher, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True
    )
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip()[-500:]}")
    return int(result.stdout.split()[-1]) / 1024  # kilobytes on Linux


def _speed_ratio(workdir: Path) -> float:
    source = _make_source(workdir, "1280x720", 4)
    engine, cli = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment on the machine hits both
        engine.append(_time_engine(source, workdir / "engine.mp4"))
        cli.append(_time_cli(source, workdir / "cli.mp4"))
    return statistics.median(engine) / statistics.median(cli)


def _lowest_peak(command: list[str]) -> float:
    # The lower of two runs: a peak can only be raised by something else on the machine.
    return min(_peak_rss_mb(command) for _ in range(2))


def run(report: Report) -> None:
    _ffmpeg()
    with tempfile.TemporaryDirectory(prefix="remixer-bench-") as name:
        workdir = Path(name)
        report(
            "engine time / ffmpeg CLI time, 4 s 1280x720 sepia+mirror (median of 5)",
            _speed_ratio(workdir),
            "<= 1.15",
        )
        long, short = _make_source(workdir, SIZE, 12), _make_source(workdir, SIZE, 4)
        engine_12 = _lowest_peak(_engine_command(long, workdir / "engine.mp4"))
        cli_12 = _lowest_peak(_cli_command(long, workdir / "cli.mp4"))
        report(
            f"engine peak RSS / ffmpeg CLI peak RSS, 12 s {SIZE} "
            f"({engine_12:.0f} MB / {cli_12:.0f} MB)",
            engine_12 / cli_12,
            "<= 1.0",
        )
        engine_4 = _lowest_peak(_engine_command(short, workdir / "engine.mp4"))
        report(
            f"engine peak RSS 12 s / 4 s, {SIZE} ({engine_12:.0f} MB / {engine_4:.0f} MB)",
            engine_12 / engine_4,
            "<= 1.1",
        )


if __name__ == "__main__":
    run(lambda name, value, target: print(f"{name}: {value:.3f} (target {target})"))
