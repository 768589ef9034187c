"""Still previews of a remix: the source's first frame, kept at most 1280 px on its long side
when the video is archived, through the recipe's filter graph. Cached per (source, recipe).
An extension's preview starts from the last frame instead, kept in this host's cache of
stills the first time it is asked for."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import tempfile
from pathlib import Path

from django.core.cache import cache
from django.urls import reverse

from remixer.engine.render.extend import (
    FOLLOWED_WORDS,
    end_state,
    extension_recipe,
    follows_any,
    keep_last_still,
)
from remixer.engine.render.still import fits, keep_still, refit_still, render_still
from remixer.files import storage
from remixer.lib.media import MediaError
from remixer.models import Video
from remixer.models.recipes import (
    Recipe,
    RecipeError,
    parse_recipe,
    remixed_size,
    stored_recipe,
)
from remixer.models.videos import PROMPT_MAX
from remixer.worker import scratch

logger = logging.getLogger(__name__)
CACHE_SECONDS = 3600
MAX_TOKEN = 6000
FIRST, LAST = "first", "last"  # the frame a still starts from
NOTHING_FOLLOWED = (
    "An extension follows none of these words, so the new part moves slowly on from the "
    "last frame, as it would without them."
)


def still_name(video_id: str) -> str:
    return f"stills/{video_id}.npy"


def keep(video_id: str, video_file: Path) -> None:
    """Called as a video is archived: the frame goes to the storage beside the video, so any
    host's web process can preview it. A frame that cannot be kept only costs its preview."""
    still = video_file.with_name("still.npy")
    try:
        keep_still(video_file, still)
        storage.save(still, still_name(video_id))
    except (OSError, MediaError, StopIteration, ValueError, storage.StorageError):
        logger.warning("%s: no still kept for previews", video_id, exc_info=True)
    finally:
        still.unlink(missing_ok=True)


def _kept(video: Video) -> Path | None:
    """The kept frame as a local file: the stored one on local disk; with a bucket, a copy in
    this host's cache of stills (made from the video for one archived before stills were kept)."""
    name = still_name(video.pk)
    local = storage.local_path(name) if not storage.is_remote() else cached_still(video.pk)
    if local.exists():
        return _bounded(video.pk, local)
    scratch.own_folder().mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=scratch.own_folder()) as folder:
            fetched = Path(folder) / "still.npy"
            if storage.exists(name):
                storage.fetch(name, fetched)
            elif (stored := video.video_file.name) and storage.exists(stored):
                source = storage.working_copy(stored, Path(folder))
                keep_still(source, fetched)
                storage.save(fetched, name)
            else:
                return None
            if storage.is_remote():
                local.parent.mkdir(parents=True, exist_ok=True)
                os.replace(fetched, local)
    except (OSError, MediaError, StopIteration, ValueError, storage.StorageError):
        logger.warning("%s: no still for previews", video.pk, exc_info=True)
        return None
    return _bounded(video.pk, local) if local.exists() else None


def _bounded(video_id: str, local: Path) -> Path:
    """A still kept larger, before stills were bounded, is kept again fitted, once; until
    then (or if that fails) the preview scales it first."""
    try:
        if fits(local):
            return local
        scratch.own_folder().mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=scratch.own_folder()) as folder:
            fitted = Path(folder) / "still.npy"
            refit_still(local, fitted)
            storage.save(fitted, still_name(video_id))
            if storage.is_remote():
                os.replace(fitted, local)
    except (OSError, ValueError, storage.StorageError):
        logger.warning("%s: the still could not be kept smaller", video_id, exc_info=True)
    return local


def cached_still(video_id: str) -> Path:
    return scratch.scratch_root() / "stills" / f"{video_id}.npy"


def _kept_last(video: Video) -> Path | None:
    """The video's last frame as a kept still, made from the video once on each host."""
    local = cached_still(f"{video.pk}.last")  # not "<id>-…": that names a job's work folder
    if local.exists():
        return local
    scratch.own_folder().mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(dir=scratch.own_folder()) as folder:
            if not (stored := video.video_file.name) or not storage.exists(stored):
                return None
            made = Path(folder) / "last.npy"
            keep_last_still(storage.working_copy(stored, Path(folder)), made)
            local.parent.mkdir(parents=True, exist_ok=True)
            os.replace(made, local)
    except (OSError, MediaError, ValueError, storage.StorageError):
        logger.warning("%s: no last frame for previews", video.pk, exc_info=True)
        return None
    return local


def recipe_key(recipe: Recipe) -> str:
    text = json.dumps(recipe.to_json(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def preview(video: Video, recipe: Recipe, frame: str = FIRST) -> bytes | None:
    """The JPEG still of `recipe` applied to `video`'s first (or last) frame, or None
    without a kept frame."""
    key = f"still:{video.pk}:{recipe_key(recipe)}" + (":last" if frame == LAST else "")
    cached: bytes | None = cache.get(key)
    if cached is not None:
        return cached
    path = _kept_last(video) if frame == LAST else _kept(video)
    if path is None:
        return None
    jpeg = render_still(path, recipe)
    cache.set(key, jpeg, CACHE_SECONDS)
    return jpeg


def recipe_token(recipe: Recipe) -> str:
    """The recipe in a URL: compact JSON, base64url without padding."""
    text = json.dumps(recipe.to_json(), separators=(",", ":"), sort_keys=True)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def recipe_from_token(token: str) -> Recipe:
    """A recipe from a URL, checked like any stored one (RecipeError if not followable)."""
    if len(token) > MAX_TOKEN:
        raise RecipeError("This recipe is too long to preview.")
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        raise RecipeError("This preview's recipe could not be read.") from None
    return stored_recipe(data)


def recipe_context(prompt: str, video_id: str, *, extension: bool = False) -> dict[str, object]:
    """What the recipe preview shows: the steps and notes, or the message, and the still;
    for an extension, what it follows of the prompt, and the last frame's still."""
    if not prompt.strip():
        return {}
    video = Video.objects.in_library().filter(pk=video_id).first() if video_id else None
    try:  # what will be submitted
        recipe = parse_recipe(prompt[:PROMPT_MAX], (video.width, video.height) if video else None)
    except RecipeError as error:
        return _extension_context(None, video) if extension else {"recipe_error": str(error)}
    if extension:
        return _extension_context(recipe, video)
    context: dict[str, object] = {"steps": recipe.describe(), "notes": recipe.notes()}
    return context | _still_context(video, recipe, FIRST)


def _extension_context(recipe: Recipe | None, video: Video | None) -> dict[str, object]:
    followed = extension_recipe(recipe) if recipe is not None else None
    if followed is None or not follows_any(followed):
        context: dict[str, object] = {"recipe_error": f"{NOTHING_FOLLOWED} {FOLLOWED_WORDS}"}
        return context | _still_context(video, Recipe(), LAST)
    context = {"steps": followed.describe(), "notes": followed.notes()}
    return context | _still_context(video, end_state(followed), LAST)


def _still_context(video: Video | None, recipe: Recipe, frame: str) -> dict[str, object]:
    if video is None or not video.is_remixable:
        return {}
    url = reverse("video_still", args=[video.pk])
    width, _, height = remixed_size(recipe.to_json(), video.size).partition("x")
    last = "&frame=last" if frame == LAST else ""
    return {
        "still_url": f"{url}?r={recipe_token(recipe)}{last}",
        "still_width": width,
        "still_height": height,
    }
