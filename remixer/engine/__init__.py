"""The local engine: procedural video in process with FFmpeg's libraries (PyAV), free of
Django. Create paints an animation from a prompt's words; remix streams a source through a
libavfilter graph built from a recipe the prompt reader writes."""

from remixer.engine.captions import MAX_CAPTION
from remixer.engine.encoding import FPS, parse_size
from remixer.engine.painter import render_create
from remixer.engine.reader import read_prompt
from remixer.engine.recipe import Recipe
from remixer.engine.remix import render_remix
from remixer.engine.spec import RecipeError
from remixer.engine.suggest import UNDERSTOOD

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
