"""Benchmark figures of the local engine, each against a baseline measured in the same run.

(1) time of a 4 s 1280x720 "sepia, mirror" remix and (2) of the "old film" look (the heaviest
composition) / Debian's ffmpeg CLI running the same filter chain with the same encoder
settings; (3) peak memory of a fresh process rendering 12 s of 1792x1024 / the CLI's;
(4) that 12 s peak / the 4 s peak, for one step of each class (colour, geometry, time, text)
and the heaviest look (memory must not grow with length); (5) the still preview's time (p95
over 20 prompts on a 1280x720 source, each the median of 3 draws) / the time the same recipe
takes to render the whole 4 s remix; (6) reading a 32,000-character prompt / a 320-character
one (linear time); (7) a step for a moment ("black and white for the first 2 seconds") / the
same step over the whole 4 s clip; (8) a 12 s 1280x720 remix with sound steps / the same
remix without them.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import av
import numpy as np

from remixer.engine import render_create, render_remix
from remixer.engine.base import encoding
from remixer.engine.render.remix import filter_text
from remixer.engine.render.still import keep_still, render_still
from remixer.models.recipes import RecipeError, parse_recipe

Report = Callable[[str, float, str], None]
RECIPE = "sepia, mirror"
HEAVIEST = "old film"
# One step of each class, and the heaviest look: memory must not grow with the length.
BY_CLASS = {
    "colour": "warmer",
    "geometry": "rotate 90",
    "time": "reverse",
    "text": "'Summer 2026' at the top",
    "heaviest look": HEAVIEST,
}
PREVIEW_PROMPTS = [
    "old film",
    "black and white, slow motion",
    "make it warmer",
    "a green tint",
    "noir",
    "vhs",
    "cctv",
    "dreamy night scene",
    "golden hour",
    "cinematic",
    "pixel art",
    "comic book",
    "neon",
    "thermal",
    "glitch",
    "pencil sketch",
    "mirror and rotate 180",
    "crop to square, vignette",
    "'Summer 2026' at the top, fade out",
    "vivid, more contrast, sharpen",
]
READER_UNIT = "make it slightly warmer, not mirrored, 2x faster 'Hi' and sparkles (x) 50% "
RUNS = 5
MOMENT = "black and white"
SOUND_STEPS = "sepia, louder and add an echo"
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
# A fresh interpreter that imports only the engine and renders a stored recipe, as a render
# worker does (the prompt is read where it was submitted).
ENGINE_CHILD = (
    "import json, sys; from pathlib import Path; "
    "from remixer.engine import Recipe, render_remix; "
    "render_remix(source=Path(sys.argv[1]), recipe=Recipe.from_json(json.loads(sys.argv[2])), "
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


def _cli_command(source: Path, output: Path, prompt: str, size: str, seconds: int) -> list[str]:
    """The CLI running the filter chain the engine builds for `prompt`, with its encoder
    settings."""
    width, height = encoding.parse_size(size)
    chain = ",".join(filter_text(parse_recipe(prompt), width, height, seconds * encoding.FPS))
    x264 = encoding.X264_OPTIONS
    encoder = (
        f"-c:v libx264 -preset {x264['preset']} -crf {x264['crf']} "
        f"-threads {encoding.ENCODER_THREADS} -pix_fmt yuv420p -movflags +faststart"
    )
    head = [_ffmpeg(), "-nostdin", "-loglevel", "error", "-y", "-i", str(source)]
    return [*head, "-vf", chain, *encoder.split(), str(output)]


def _engine_command(source: Path, output: Path, prompt: str) -> list[str]:
    recipe = json.dumps(parse_recipe(prompt).to_json())
    return [sys.executable, "-c", ENGINE_CHILD, str(source), recipe, str(output)]


def _make_source(workdir: Path, size: str, seconds: int) -> Path:
    path = workdir / f"source-{size}-{seconds}s.mp4"
    if not path.exists():
        render_create(
            prompt="ocean waves at sunset",
            size=size,
            seconds=seconds,
            output=path,
            reference_image=None,
            on_progress=lambda d, t: None,
        )
    return path


def _time_engine(source: Path, output: Path, prompt: str) -> float:
    start = time.perf_counter()
    render_remix(
        source=source,
        recipe=parse_recipe(prompt),
        output=output,
        on_progress=lambda done, total: None,
    )
    return time.perf_counter() - start


def _time_cli(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
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


def _speed_ratio(workdir: Path, prompt: str) -> float:
    source = _make_source(workdir, "1280x720", 4)
    cli = _cli_command(source, workdir / "cli.mp4", prompt, "1280x720", 4)
    engine_times, cli_times = [], []
    for _ in range(RUNS):  # interleaved, so a busy moment on the machine hits both
        engine_times.append(_time_engine(source, workdir / "engine.mp4", prompt))
        cli_times.append(_time_cli(cli))
    return statistics.median(engine_times) / statistics.median(cli_times)


def _pair_ratio(source: Path, workdir: Path, prompt: str, baseline: str) -> float:
    """Median time of `prompt` / median time of `baseline`, interleaved, on one source."""
    times: dict[str, list[float]] = {prompt: [], baseline: []}
    for _ in range(RUNS):
        for asked in times:
            times[asked].append(_time_engine(source, workdir / "engine.mp4", asked))
    return statistics.median(times[prompt]) / statistics.median(times[baseline])


def _with_sound(workdir: Path, source: Path) -> Path:
    """The source's picture with a stereo 48 kHz tone of its length (AAC), as phones record."""
    path = workdir / f"sound-{source.name}"
    with av.open(str(source)) as given, av.open(str(path), "w") as out:
        picture = out.add_stream_from_template(given.streams.video[0])
        sound = out.add_stream("aac", rate=48000)
        seconds = float(given.duration or 0) / 1_000_000
        for packet in given.demux(given.streams.video[0]):
            if packet.dts is not None:
                packet.stream = picture
                out.mux(packet)
        for start in range(0, int(48000 * seconds), 1024):
            t = np.arange(start, start + 1024) / 48000
            wave = (0.4 * np.sin(2 * math.pi * 220 * t)).astype(np.float32)
            frame = av.AudioFrame.from_ndarray(
                np.stack([wave, wave]), format="fltp", layout="stereo"
            )
            frame.sample_rate, frame.pts = 48000, start
            out.mux(sound.encode(frame))
        out.mux(sound.encode(None))
    return path


def _lowest_peak(command: list[str], runs: int = 2) -> float:
    # The lowest of the runs: a peak can only be raised by something else on the machine.
    return min(_peak_rss_mb(command) for _ in range(runs))


def _preview_ratio(workdir: Path) -> tuple[float, float, float]:
    """p95 of (preview time / full render time) over the prompts, and the medians."""
    source = _make_source(workdir, "1280x720", 4)
    still = workdir / "still.npy"
    keep_still(source, still)
    render_still(still, parse_recipe("'warm' at the top"))  # a running server has its fonts
    ratios, previews, renders = [], [], []
    for prompt in PREVIEW_PROMPTS:
        preview = statistics.median(_still_time(still, prompt) for _ in range(3))
        render = _time_engine(source, workdir / "engine.mp4", prompt)
        ratios.append(preview / render)
        previews.append(preview)
        renders.append(render)
    p95 = statistics.quantiles(ratios, n=20)[-1]
    return p95, statistics.median(previews), statistics.median(renders)


def _still_time(still: Path, prompt: str) -> float:
    """One preview's server time: the recipe read and its still drawn (not from the cache)."""
    start = time.perf_counter()
    render_still(still, parse_recipe(prompt))
    return time.perf_counter() - start


def _reader_time(text: str) -> float:
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        with contextlib.suppress(RecipeError):
            parse_recipe(text)
        best = min(best, time.perf_counter() - start)
    return best


def _foreign_ratio() -> float:
    """Reading 1,200 words of Spanish, or of misspelt English, / 1,200 words of English."""
    english = _reader_time(" ".join(["make it warmer and a bit blurry, slow motion"] * 150))
    spanish = _reader_time(" ".join(["hazlo más cálido y un poco borroso, cámara lenta"] * 150))
    typos = _reader_time(" ".join(["make it wramer and a bit bluryr, slow moiton"] * 150))
    return max(spanish, typos) / english


def _reader_ratio() -> float:
    short = (READER_UNIT * 5)[:320]
    long = (READER_UNIT * 500)[:32_000]
    return _reader_time(long) / _reader_time(short)


def _memory(workdir: Path, report: Report) -> None:
    long, short = _make_source(workdir, SIZE, 12), _make_source(workdir, SIZE, 4)
    out = workdir / "engine.mp4"
    engine_12 = _lowest_peak(_engine_command(long, out, RECIPE))
    cli_12 = _lowest_peak(_cli_command(long, workdir / "cli.mp4", RECIPE, SIZE, 12))
    report(
        f"engine peak RSS / ffmpeg CLI peak RSS, 12 s {SIZE} "
        f"({engine_12:.0f} MB / {cli_12:.0f} MB)",
        engine_12 / cli_12,
        "<= 1.0",
    )
    for kind, prompt in {"sepia+mirror": RECIPE, **BY_CLASS}.items():
        peak_12 = (
            engine_12 if prompt == RECIPE else _lowest_peak(_engine_command(long, out, prompt))
        )
        peak_4 = _lowest_peak(_engine_command(short, out, prompt))
        report(
            f"peak RSS 12 s / 4 s, {SIZE}, {kind} ({peak_12:.0f} MB / {peak_4:.0f} MB)",
            peak_12 / peak_4,
            "<= 1.1",
        )


def run(report: Report) -> None:
    _ffmpeg()
    with tempfile.TemporaryDirectory(prefix="remixer-bench-") as name:
        workdir = Path(name)
        report("reader time, 32,000 / 320 characters (best of 5)", _reader_ratio(), "<= 150")
        report(
            "reader time, 1,200 words of Spanish or misspelt English / of English (best of 5)",
            _foreign_ratio(),
            "<= 3",
        )
        report(
            "engine time / ffmpeg CLI time, 4 s 1280x720 sepia+mirror (median of 5)",
            _speed_ratio(workdir, RECIPE),
            "<= 1.15",
        )
        report(
            "engine time / ffmpeg CLI time, 4 s 1280x720 old film, same chain (median of 5)",
            _speed_ratio(workdir, HEAVIEST),
            "<= 1.0",
        )
        p95, preview, render = _preview_ratio(workdir)
        report(
            f"still preview / full 4 s render, p95 of 20 prompts, 1280x720 "
            f"(medians {preview * 1000:.0f} ms / {render * 1000:.0f} ms)",
            p95,
            "<= 0.05",
        )
        four = _make_source(workdir, "1280x720", 4)
        report(
            "black and white for the first 2 s / for the whole clip, 4 s 1280x720 (median of 5)",
            _pair_ratio(four, workdir, f"{MOMENT} for the first 2 seconds", MOMENT),
            "<= 1.1",
        )
        twelve = _with_sound(workdir, _make_source(workdir, "1280x720", 12))
        report(
            f'"{SOUND_STEPS}" / "sepia", 12 s 1280x720 with sound (median of 5)',
            _pair_ratio(twelve, workdir, SOUND_STEPS, "sepia"),
            "<= 1.1",
        )
        _memory(workdir, report)


if __name__ == "__main__":
    run(lambda name, value, target: print(f"{name}: {value:.3f} (target {target})"))
