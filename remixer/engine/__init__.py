"""The local engine: procedural video in process with FFmpeg's libraries (PyAV), free of
Django. Create paints an animation from a prompt's words; remix streams a source through a
libavfilter graph built from a recipe the prompt reader writes.

Its sub-packages, each importing only those below it: `render` (remix, still previews,
create's painter, joining) and `prompt` (reading a prompt into a recipe), side by side over
`effects` (the steps, captions and the recipe), over `base` (MP4 writing, filter graphs)."""

from remixer.engine.base.encoding import FPS, parse_size
from remixer.engine.effects.captions import MAX_CAPTION
from remixer.engine.effects.recipe import Recipe
from remixer.engine.effects.spec import RecipeError
from remixer.engine.prompt.suggest import UNDERSTOOD
from remixer.engine.render.painter import render_create
from remixer.engine.render.remix import render_remix


def read_prompt(prompt: str) -> Recipe:
    """The recipe a remix prompt asks for (see prompt/reader.py). The reader's tables (six
    languages, the speller's index: some 13 MB) are built on the first prompt read, so a
    render worker, which follows stored recipes, never holds them."""
    from remixer.engine.prompt.reader import read_prompt as read

    return read(prompt)


__all__ = [
    "FPS",
    "MAX_CAPTION",
    "UNDERSTOOD",
    "Recipe",
    "RecipeError",
    "parse_size",
    "read_prompt",
    "render_create",
    "render_remix",
]
