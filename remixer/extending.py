"""An extension's steps around its provider: started the way its engine can, and, where an
HTTP provider made the segment alone, joined to the source before it is stored."""

from pathlib import Path

from remixer import storage
from remixer.engine.join import JoinError, duration_of, join
from remixer.models import Video
from remixer.providers import (
    Assets,
    Job,
    ProgressCallback,
    ProviderError,
    Submission,
    join_failed,
)
from remixer.providers.extensions import extend
from remixer.providers.factory import http_provider
from remixer.providers.local import LocalProvider

Strategy = Video.Strategy
WHOLE_SLACK = 0.5  # seconds: a provider's file this close to the total is the whole video


def start(video: Video, job: Job, on_progress: ProgressCallback) -> Submission:
    """Make (locally) or start (at a provider) the extension, and record how."""
    if video.provider.is_local:
        submission, strategy = LocalProvider().extend(job, on_progress), Strategy.LOCAL
    else:
        submission, way = extend(http_provider(video.provider), job)
        strategy = Strategy(way)
    Video.objects.filter(pk=video.pk).update(strategy=strategy)
    video.strategy = strategy
    return submission


def joined(video: Video, assets: Assets, workdir: Path) -> Assets:
    """A provider's download as the whole extended video: as it is when the provider made
    the whole (its extensions route), else the source with the segment conformed after it."""
    if video.kind != Video.Kind.EXTENSION or video.provider.is_local:
        return assets
    try:
        if duration_of(assets.video) >= int(video.seconds) - WHOLE_SLACK:
            return assets
        source = video.remixed_from
        if source is None or not source.video_file:
            raise ProviderError("source_missing", "The source video was deleted meanwhile.")
        copy = storage.working_copy(str(source.video_file), workdir)
        output = workdir / "joined.mp4"
        join(copy, assets.video, output)
    except JoinError as error:
        raise join_failed(error) from error
    return Assets(video=output)  # the provider's thumbnail and spritesheet show the segment only


def segment_seconds(video: Video) -> int:
    """The new segment's length: the total less the source's."""
    source = video.remixed_from
    if video.kind != Video.Kind.EXTENSION or source is None:
        return 0
    return int(video.seconds) - round(float(source.seconds or 0))
