"""Sound steps: each a short list of libavfilter audio filters, applied to the remix's sound
after it has followed the picture's timeline, so a fade sits at the output's own start and
end. The picture's filter graph leaves them out (their kind is SOUND)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from remixer.engine.effects.spec import SOUND, Param, Params, StepSpec, num, strength

AudioFilters = list[tuple[str, str]]  # (filter name, its arguments), in order


@dataclass(frozen=True)
class SoundTrack:
    """The sound the filters apply to: the output's length and its sample rate."""

    seconds: float
    rate: int


def _nothing(params: Params, track: SoundTrack) -> AudioFilters:
    return []


@dataclass(frozen=True)
class SoundStepSpec(StepSpec):
    """A step on the sound alone. `filters` gives all of its filters as one plain list, so a
    time range can later add enable='between(t,a,b)' to each filter that takes one."""

    filters: Callable[[Params, SoundTrack], AudioFilters] = _nothing


def _volume(params: Params, track: SoundTrack) -> AudioFilters:
    return [("volume", f"{num(params, 'db'):.2f}dB")]


def _fade(way: str) -> Callable[[Params, SoundTrack], AudioFilters]:
    def filters(params: Params, track: SoundTrack) -> AudioFilters:
        seconds = min(num(params, "seconds"), track.seconds)
        start = 0.0 if way == "in" else max(0.0, track.seconds - seconds)
        return [("afade", f"t={way}:st={start:.3f}:d={seconds:.3f}")]

    return filters


def _echo(params: Params, track: SoundTrack) -> AudioFilters:
    """Repeats `delay` apart that lose a quarter every 100 ms, however close they are: a long
    delay is an echo, a short one (a few hundredths) a room's reverb. The whole is scaled so
    that it carries about the energy the sound had."""
    delay, level = num(params, "delay"), num(params, "strength")
    taps = min(8, max(3, round(0.9 / delay)))
    delays = [delay * 1000 * k for k in range(1, taps + 1)]
    decays = [level * 0.75 ** (k * delay / 0.1) for k in range(1, taps + 1)]
    gain = 1 / math.sqrt(1 + sum(d * d for d in decays))
    times = "|".join(f"{d:.0f}" for d in delays)
    levels = "|".join(f"{d:.3f}" for d in decays)
    return [("aecho", f"1:{gain:.3f}:{times}:{levels}")]


def _pitch(params: Params, track: SoundTrack) -> AudioFilters:
    """Played faster or slower to move the pitch, then stretched back to its own length."""
    ratio = 2 ** (num(params, "semitones") / 12)
    return [
        ("asetrate", str(round(track.rate * ratio))),
        ("aresample", str(track.rate)),
        ("atempo", f"{1 / ratio:.6f}"),
    ]


def _band(low: float, high: float) -> Callable[[Params, SoundTrack], AudioFilters]:
    """Only the frequencies between `low` and `high` Hz (the band narrows as the strength
    grows), each edge two filters deep so what lies outside falls away steeply."""

    def filters(params: Params, track: SoundTrack) -> AudioFilters:
        level = num(params, "strength")
        bottom, top = low * (0.5 + level), high * (1.5 - level)
        return [("highpass", f"f={bottom:.0f}")] * 2 + [("lowpass", f"f={top:.0f}")] * 2

    return filters


def _muffled(params: Params, track: SoundTrack) -> AudioFilters:
    """High frequencies taken away, from above 3 kHz (slightly) to above 200 Hz (fully)."""
    cutoff = 3000 * (1 / 15) ** num(params, "strength")
    return [("lowpass", f"f={cutoff:.0f}")] * 2


def _underwater(params: Params, track: SoundTrack) -> AudioFilters:
    """Only the lowest sounds, with a slow wobble."""
    level = num(params, "strength")
    cutoff = 900 * 0.25**level
    return [("lowpass", f"f={cutoff:.0f}")] * 2 + [("vibrato", f"f=3:d={0.4 * level:.2f}")]


def _step(
    name: str,
    label: str,
    filters: Callable[[Params, SoundTrack], AudioFilters],
    params: dict[str, Param],
    amount: str,
) -> SoundStepSpec:
    return SoundStepSpec(name, SOUND, label, params=params, amount=amount, filters=filters)


def _seconds() -> dict[str, Param]:
    return {"seconds": Param(1.0, 0.1, 12.0)}


STEPS = [
    _step("volume", "Volume", _volume, {"db": Param(6.0, -90.0, 30.0)}, "db"),
    _step("sound_fade_in", "Sound fades in", _fade("in"), _seconds(), "seconds"),
    _step("sound_fade_out", "Sound fades out", _fade("out"), _seconds(), "seconds"),
    _step(
        "echo",
        "Echo",
        _echo,
        {**strength(0.5, 0.05), "delay": Param(0.3, 0.02, 1.0)},
        "strength",
    ),
    _step("pitch", "Pitch", _pitch, {"semitones": Param(4.0, -12.0, 12.0)}, "semitones"),
    _step("muffled", "Muffled sound", _muffled, strength(0.5, 0.05), "strength"),
    _step("phone", "Phone-call sound", _band(300, 3400), strength(0.5, 0.05), "strength"),
    _step("radio", "Old radio sound", _band(500, 2800), strength(0.5, 0.05), "strength"),
    _step("underwater", "Underwater sound", _underwater, strength(0.5, 0.05), "strength"),
]
