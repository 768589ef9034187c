"""The local engine as a provider: a job renders in one go, in the worker (remixer.engine)."""

from __future__ import annotations

from pathlib import Path

from remixer.engine import Recipe, RecipeError, render_create, render_remix
from remixer.engine.render.extend import (
    extension_recipe,
    follows_any,
    render_extension,
    sound_shaper,
)
from remixer.engine.render.join import JoinError, join, last_frame, progress_part
from remixer.models.recipes import parse_recipe, stored_recipe
from remixer.providers import (
    Assets,
    Job,
    ProgressCallback,
    ProviderError,
    Submission,
)

OUTPUT = "video.mp4"
# The engine's renderers, for the callers that import them from here.
__all__ = ["OUTPUT", "LocalProvider", "render_create", "render_remix"]


class LocalProvider:
    def create(self, job: Job, on_progress: ProgressCallback) -> Submission:
        render_create(
            prompt=job.prompt,
            size=job.size,
            seconds=job.seconds,
            output=job.workdir / OUTPUT,
            reference_image=job.reference_image,
            on_progress=on_progress,
            variation=job.variation,
        )
        return Submission(provider_video_id=job.video_id, status="completed", progress=100)

    def remix(self, job: Job, on_progress: ProgressCallback) -> Submission:
        if job.source_video is None or job.recipe is None:
            raise ProviderError("source_missing", "The source video is not available.")
        try:
            recipe = stored_recipe(job.recipe)
        except RecipeError as error:
            raise ProviderError("invalid_recipe", str(error)) from error
        render_remix(
            source=job.source_video,
            recipe=recipe,
            output=job.workdir / OUTPUT,
            on_progress=on_progress,
        )
        return Submission(provider_video_id=job.video_id, status="completed", progress=100)

    def extend(self, job: Job, on_progress: ProgressCallback) -> Submission:
        """A segment made from the source's last frame and the prompt, joined to the source:
        it moves toward the colour, light, zoom and sound words the prompt reader finds; a
        prompt with none moves as a create from the last frame would. The source's sound
        carries on unless the prompt says no sound."""
        if job.source_video is None or job.extend_seconds <= 0:
            raise ProviderError("source_missing", "The source video is not available.")
        # The segment's frames are made, then every frame of the whole is encoded again.
        share = job.extend_seconds / (job.extend_seconds + job.seconds)
        segment = job.workdir / "segment.mp4"
        recipe = _extension(job.prompt)
        try:
            first = last_frame(job.source_video, job.workdir / "last-frame.png")
            making = progress_part(on_progress, 0, share)
            if recipe is None:
                render_create(
                    prompt=job.prompt,
                    size=job.size,
                    seconds=job.extend_seconds,
                    output=segment,
                    reference_image=first,
                    on_progress=making,
                )
            else:
                render_extension(
                    first=first,
                    recipe=recipe,
                    size=job.size,
                    seconds=job.extend_seconds,
                    output=segment,
                    on_progress=making,
                )
            join(
                job.source_video,
                segment,
                job.workdir / OUTPUT,
                progress_part(on_progress, share, 1 - share),
                carry_sound=sound_shaper(recipe),
            )
        except JoinError as error:
            raise ProviderError(
                "join_failed", f"The video could not be extended: {error}"
            ) from error
        return Submission(provider_video_id=job.video_id, status="completed", progress=100)

    def status(self, provider_video_id: str) -> Submission:
        # Renders finish inside create or remix; there is never a job left to ask about.
        return Submission(provider_video_id=provider_video_id, status="completed", progress=100)

    def fetch_assets(
        self, provider_video_id: str, workdir: Path, on_progress: ProgressCallback | None = None
    ) -> Assets:
        return Assets(video=workdir / OUTPUT)

    def delete(self, provider_video_id: str) -> bool | None:
        """Nothing to do: the engine keeps no copies of its own."""
        return True


def _extension(prompt: str) -> Recipe | None:
    """What an extension follows of the prompt; None where the reader follows none of it."""
    try:
        recipe = extension_recipe(parse_recipe(prompt))
    except RecipeError:
        return None
    return recipe if follows_any(recipe) else None
