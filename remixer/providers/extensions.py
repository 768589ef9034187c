"""Extending a video: by the local engine at once, or at an HTTP provider: its own extensions
route where it has one, else image-to-video from the source's last frame (remixer then joins
the segment to the source), as a ComfyUI workflow that starts from an image always does.

A route that answers 404 or 405 cannot have started a job, so the next way is tried at once.
"""

import dataclasses
from collections.abc import Callable
from functools import partial

from remixer.engine.render.join import JoinError, last_frame
from remixer.models import Provider
from remixer.providers import Job, ProgressCallback, ProviderError, Submission, join_failed
from remixer.providers.factory import comfyui_provider, http_provider, local_engine
from remixer.providers.http import HttpProvider
from remixer.providers.kinds import capabilities

# Video.Strategy's values for the two ways.
EXTENSIONS, LAST_FRAME = "extensions", "last_frame"


def start(
    provider: Provider, job: Job, on_progress: ProgressCallback, on_way: Callable[[str], None]
) -> Submission:
    """Make the extension at once where the provider has one way (the engine, which joins the
    segment itself), else start it at the provider's server; `on_way` hears the way first."""
    can = capabilities(provider)
    if can.runs_workflows:  # its workflow makes the segment from the last frame; joined here
        on_way(LAST_FRAME)
        return comfyui_provider(provider).create(from_last_frame(job), on_progress)
    if way := can.remix_strategy:
        on_way(way)
        return local_engine(provider).extend(job, on_progress)
    return extend(http_provider(provider), job, on_way)


def extend(provider: HttpProvider, job: Job, on_way: Callable[[str], None]) -> Submission:
    """The provider's job; `on_way` hears which way is tried before it is sent, so that a
    job whose answer never came is looked for as what it was."""
    if job.source_provider_video_id:
        fields = {
            "video": {"id": job.source_provider_video_id},
            "prompt": job.prompt,
            "seconds": str(job.extend_seconds),
        }
        on_way(EXTENSIONS)
        send = partial(provider.post_json, provider.url("extensions"), fields)
        try:
            return provider.send_once(send, model=job.model, strategy=EXTENSIONS)
        except ProviderError as error:
            if error.code != "strategy_unavailable":  # a bare 404 or a 405: no such route
                raise
    segment = from_last_frame(job)
    on_way(LAST_FRAME)
    return provider.create(segment, lambda done, total: None)


def from_last_frame(job: Job) -> Job:
    """A create of the segment alone, its first frame the source's last."""
    if job.source_video is None:
        raise ProviderError("source_missing", "The source video is not available.")
    try:
        frame = last_frame(job.source_video, job.workdir / "last-frame.png")
    except JoinError as error:
        raise join_failed(error) from error
    return dataclasses.replace(job, seconds=job.extend_seconds, reference_image=frame)
