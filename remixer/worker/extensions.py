"""An extension's steps around its provider: started the way its engine can, and, where an
HTTP provider made the segment alone, joined to the source before it is stored."""

from pathlib import Path

from remixer.engine.render.join import (
    JoinError,
    conform,
    duration_of,
    join,
    layout_of,
    progress_part,
)
from remixer.files import storage
from remixer.models import Video
from remixer.providers import (
    Assets,
    Job,
    ProgressCallback,
    ProviderError,
    Submission,
    extensions,
    join_failed,
)
from remixer.providers.kinds import capabilities
from remixer.worker.leases import Progress, ProgressWriter, held

Strategy = Video.Strategy
WHOLE_SLACK = 0.5  # seconds: a provider's file this close to the total is the whole video
# An extension remixer joins itself: the provider's progress fills this share of the bar, the
# join the rest (up to 99: 100 is for the stored, checked video).
PROVIDER_SHARE = 0.8


def provider_progress(video: Video, progress: int) -> int:
    """A provider's progress as a share of the whole job's."""
    joins = video.kind == Video.Kind.EXTENSION and video.strategy == Strategy.LAST_FRAME
    return int(progress * PROVIDER_SHARE) if joins else progress


def start(video: Video, job: Job, on_progress: ProgressCallback) -> Submission:
    """Make (locally) or start (at a provider) the extension, and record how."""
    return extensions.start(video.provider, job, on_progress, lambda way: record(video, way))


def record(video: Video, way: str) -> None:
    video.strategy = Strategy(way)
    Video.objects.filter(pk=video.pk).update(strategy=video.strategy)


def joined(video: Video, assets: Assets, workdir: Path) -> Assets:
    """A provider's download as the whole extended video: as it is when the provider made
    the whole (its extensions route), else the source with the segment conformed after it."""
    if video.kind != Video.Kind.EXTENSION or capabilities(video.provider).renders_here:
        return assets  # rendered here, it was joined as it was made
    source = video.remixed_from
    if source is None or not source.video_file:
        raise ProviderError("source_missing", "The source video was deleted meanwhile.")
    output = workdir / "joined.mp4"
    on_progress = progress_part(ProgressWriter(video.pk), PROVIDER_SHARE, 0.99 - PROVIDER_SHARE)
    try:
        whole = duration_of(assets.video) >= int(video.seconds) - WHOLE_SLACK
        if whole and layout_of(assets.video).size == video.size:
            return assets
        with held(video.pk, moved := Progress()):  # renewed while the source's bytes come
            copy = storage.working_copy(str(source.video_file), workdir, moved)
        if whole:  # the whole video, at another size: scaled to the source's
            conform(assets.video, output, layout_of(copy), on_progress)
        else:
            join(copy, assets.video, output, on_progress)
    except JoinError as error:
        raise join_failed(error) from error
    return Assets(video=output)  # the provider's thumbnail and spritesheet show the segment only


def segment_seconds(video: Video) -> int:
    """The new segment's length: the total less the source's."""
    source = video.remixed_from
    if video.kind != Video.Kind.EXTENSION or source is None:
        return 0
    return int(video.seconds) - round(float(source.seconds or 0))
