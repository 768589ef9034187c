"""The everyday phrasings of the sound steps ("louder", "add an echo", "fade the music out"),
each with the step it names and that step's preset parameters. The vocabulary adds them to its
effects; they are written the same way (lower case, hyphens as spaces, no apostrophes)."""

from __future__ import annotations

Preset = tuple[str, dict[str, float]]  # a step's name and its preset parameters

SOUND_NOUNS = ("sound", "audio", "music", "soundtrack", "volume")


def _each(phrases: str, step: str, **params: float) -> dict[str, Preset]:
    return {phrase.strip(): (step, params) for phrase in phrases.split(",")}


def _fades(way: str) -> dict[str, Preset]:
    """ "fade the music in", "fade in the audio", "audio fade-in", "the sound fades in"."""
    nouns = [f"{the}{noun}" for the in ("", "the ") for noun in SOUND_NOUNS]
    forms = ("fade {n} {w}", "fade {w} {n}", "{n} fade {w}", "{n} fades {w}", "{n} fading {w}")
    phrases = [form.format(n=noun, w=way) for noun in nouns for form in forms]
    return dict.fromkeys(phrases, (f"sound_fade_{way}", {}))


def _turned(way: str, db: float) -> dict[str, Preset]:
    """ "turn the sound way down", "turn it all the way up": further than a plain turn."""
    things = ("it", "the sound", "the volume", "the audio", "the music")
    return {
        f"turn {thing} {degree} {way}": ("volume", {"db": db})
        for thing in things
        for degree in ("way", "all the way", "right", "waaay", "wayyy")
    }


SOUND_PHRASES: dict[str, Preset] = {
    **_turned("up", 10.0),
    **_each(
        "half volume, half the volume, to half volume, at half volume, halve the volume, "
        "down to half volume, down to about half volume, to about half volume, half as loud",
        "volume",
        db=-6.02,
    ),
    **_each(
        "double the volume, twice the volume, double volume, twice as loud",
        "volume",
        db=6.02,
    ),
    **_turned("down", -10.0),
    **_each(
        "drop the pitch, drop pitch, bring the pitch down, take the pitch down",
        "pitch",
        semitones=-4.0,
    ),
    **_each(
        "louder, loud, turn it up, turn up the volume, turn the volume up, turn up the sound, "
        "turn the sound up, turn up the music, turn the music up, volume up, raise the volume, "
        "increase the volume, more volume, higher volume, boost the audio, boost the sound, "
        "raise the audio, raise the sound, increase the audio, increase the sound, "
        "turn up the audio, turn the audio up, louder audio, louder sound, louder music, "
        "boost the volume, boost the music, amplify, amplified, amplify the sound, amplify the "
        "audio, pump up the volume, crank it up, crank up the volume, too quiet, not loud enough",
        "volume",
        db=6.0,
    ),
    **_each(
        "quieter, quiet, quieten, quieten it, quieter sound, quieter audio, quieter music, softer "
        "sound, softer audio, softer music, turn it down, turn down the volume, turn the volume "
        "down, turn down the sound, turn the sound down, turn down the music, turn the music "
        "down, volume down, lower the volume, lower volume, reduce the volume, decrease the "
        "volume, less volume, less loud, lower the sound, too loud, not so loud, not as loud, "
        "lower the audio, reduce the audio, reduce the sound, decrease the audio, decrease "
        "the sound, turn down the audio, turn the audio down, cut the volume, drop the volume, "
        "attenuate",
        "volume",
        db=-6.0,
    ),
    # With a number of decibels: "volume -10 dB" (the reader makes the number a volume step).
    **_each("volume, the volume, loudness", "sound"),
    **_fades("in"),
    **_fades("out"),
    **_each("fade the sound, fade the audio, fade the music", "sound_fade_out"),
    **_each(
        "echo, echoes, echoing, echoey, echoy, an echo, add an echo, with an echo, echo effect, "
        "slapback, delay effect, cave, in a cave, canyon, in a canyon, tunnel, in a tunnel",
        "echo",
    ),
    **_each(
        "reverb, reverberation, reverberant, reverby, roomy, hall, concert hall, in a hall, big "
        "room, in a big room, cathedral, in a cathedral, church, in a church, stadium, in a "
        "stadium, bathroom, in a bathroom",
        "echo",
        delay=0.06,
    ),
    **_each(
        "higher pitch, high pitch, pitch up, pitch it up, pitched up, raise the pitch, higher "
        "pitched, high pitched, higher voice, high voice, the voice higher, voice higher, "
        "squeaky, squeaky voice, pitch the voice up, pitch the audio up, pitch the sound up, "
        "pitch up the voice, pitch up the audio, raise the voice, make the voice higher, "
        "pitch the voiceover up, pitch the vocals up, pitch the narration up, pitch the music up",
        "pitch",
        semitones=4.0,
    ),
    **_each(
        "chipmunk, chipmunks, chipmunk voice, like a chipmunk, helium, helium voice",
        "pitch",
        semitones=9.0,
    ),
    **_each(
        "an octave higher, octave higher, one octave higher, octave up, up an octave",
        "pitch",
        semitones=12.0,
    ),
    **_each(
        "lower pitch, low pitch, pitch down, pitch it down, pitched down, lower the pitch, lower "
        "pitched, low pitched, deeper voice, deep voice, deeper, lower voice, low voice, the "
        "voice deeper, voice deeper, the voice lower, voice lower, deeper sound, deeper audio, "
        "pitch the voice down, pitch the audio down, pitch the sound down, pitch down the voice, "
        "pitch down the audio, lower the voice, make the voice deeper, make the voice lower, "
        "pitch the voiceover down, pitch the vocals down, pitch the narration down, "
        "pitch the music down",
        "pitch",
        semitones=-4.0,
    ),
    **_each("monster voice, demon voice, darth vader, giant voice", "pitch", semitones=-8.0),
    **_each(
        "an octave lower, octave lower, one octave lower, octave down, down an octave",
        "pitch",
        semitones=-12.0,
    ),
    **_each(
        "muffled, muffle, muffle it, muffle the sound, muffle the audio, muffled sound, muffled "
        "audio, muffled voice, through a wall, through the wall, behind a wall, from another "
        "room, from the next room, next door, under a blanket, dull sound",
        "muffled",
    ),
    **_each(
        "phone, phone call, like a phone call, on the phone, over the phone, on a phone call, "
        "telephone, telephone call, phone voice, phone audio, phone sound, phone speaker, "
        "telephone voice, like a phone, walkie talkie, intercom, tinny, tinny sound, megaphone, "
        "bullhorn",
        "phone",
    ),
    **_each(
        "radio, old radio, radio voice, am radio, vintage radio, on the radio, over the radio, "
        "transistor radio, radio sound, like a radio, radio broadcast, gramophone, phonograph, "
        "old record",
        "radio",
    ),
    **_each(
        "underwater, under water, under the sea, under the water, in the water, submerged, "
        "underwater sound, from underwater",
        "underwater",
    ),
}
