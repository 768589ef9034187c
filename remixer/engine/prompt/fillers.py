"""Words that carry no meaning of their own in a prompt ("the", "make", "please"): read, and
never named back as unused."""

from __future__ import annotations


def _list(phrases: str) -> list[str]:
    return [phrase.strip() for phrase in phrases.split(",")]


STOP_WORDS = frozenset(
    _list(
        "a, an, the, old, new, crop, it, its, this, that, these, make, makes, making, made, turn, "
        "turned, into, to, look, looks, looking, like, as, style, styled, effect, effects, "
        "filter, please, video, clip, footage, scene, shot, movie, film, add, apply, give, "
        "giving, of, in, on, me, my, some, feel, feeling, version, kind, sort, just, so, all, "
        "whole, entire, is, be, should, want, i, id, would, could, can, you, lets, let, go, "
        "put, use, using, over, have, has, colours, colors, colour, color, tone, tones, image, "
        "picture, frames, frame, by, at, for, vibe, vibes, aesthetic, mood, bit, little, "
        "too, them, they, or, get, got, from, up, down, out, one, whole thing, everything, "
        "thing, something, play, playing, played, plays, run, mode, treatment, grade, graded, "
        "grading, quality, our, we, us, your, overall, pls, plz, thanks, thank, hey, hi, yo, "
        "ok, okay, maybe, now, again, lot, same, time, rate, level, amount, degree, "
        "intensity, strength, keep, kept, only, part, section, rest, was, were, been, being, am, "
        "are, did, does, do, doing, done, there, here, when, where, which, who, what, how, "
        "if, than, shot, filmed, recorded, taken, into, onto, will, shall, might, must, "
        "may, need, needs, try, trying, bring, around, about, sorta, actually, basically, "
        "literally, screen, mark, teh, u, ur, im, youre, hes, shes, theyre, n, normal, "
        "normal speed, regular speed, real time, realtime, as is, as it is, unchanged, "
        "untouched, leave, leave the rest, behind, voice, the voice, vocals, voiceover, "
        "on the voice, to the voice, crowd, crowd noise, the crowd noise, background noise, "
        "the background noise, ambient "
        "noise, street noise, the noise, drums, the drums, guitar, the guitar, "
        "of the drums, of the music, of the voice, w, thru, through, coming, background, "
        "the background, "
        "dont change the tempo, dont change the speed, dont change the length, keep the tempo, "
        "keep the speed, keep the length, same tempo, same speed, same length, without "
        "changing the tempo, without changing the speed, without changing the length, but "
        "keep the tempo, keep the tempo the same, keep the speed the same"
    )
)
