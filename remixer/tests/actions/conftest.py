"""The actions' fixtures: a family of kept videos (a video, its remix, and the remix's remix)
beside a trashed and a failed one, made from three clips whose bytes differ."""

from datetime import timedelta
from pathlib import Path

import av
import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from remixer.files import storage
from remixer.lib import media
from remixer.models import Video
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video, video_row


@pytest.fixture(scope="session")
def clips(clip_path: Path) -> list[Path]:
    """Three MP4s with the same frames and different bytes (their titles differ), so a
    file that lands on the wrong video shows in its checksum."""
    made = []
    for number in range(3):
        path = clip_path.with_name(f"clip-{number}.mp4")
        with av.open(str(clip_path)) as source, av.open(str(path), "w") as output:
            output.metadata["title"] = f"clip {number}"
            stream = source.streams.video[0]
            copy = output.add_stream_from_template(stream)
            for packet in source.demux(stream):
                if packet.dts is not None:
                    packet.stream = copy
                    output.mux(packet)
        made.append(path)
    return made


def kept_video(owner: User, clip: Path, tmp_path: Path, **fields: object) -> Video:
    """A finished video as the pipeline leaves it: its file, thumbnail, size and SHA-256."""
    video = finished_video(owner, clip, **fields)
    thumbnail = tmp_path / f"{video.pk}.webp"
    media.make_thumbnail(clip, thumbnail)
    video.thumbnail_file.name = storage.save(thumbnail, f"videos/{video.pk}/thumbnail.webp")
    video.file_size, video.file_sha256 = media.size_and_sha256(clip)
    video.save()
    return video


@pytest.fixture
def family(ana, ben, clips, tmp_path) -> dict[str, Video]:
    """Waves (ana's), its remix by ben, and ana's remix of that; one trashed and one failed
    video, which no export holds."""
    waves = kept_video(ana, clips[0], tmp_path, title="Waves", prompt="calm blue waves")
    sepia = kept_video(
        ben,
        clips[1],
        tmp_path,
        title="Sepia waves",
        prompt="sepia",
        kind=Video.Kind.REMIX,
        strategy=Video.Strategy.LOCAL,
        recipe=parse_recipe("sepia").to_json(),
        remixed_from=waves,
        remixed_from_video_id=waves.pk,
        created_at=waves.created_at + timedelta(minutes=1),
    )
    mirrored = kept_video(
        ana,
        clips[2],
        tmp_path,
        prompt="mirror it",
        kind=Video.Kind.REMIX,
        strategy=Video.Strategy.LOCAL,
        recipe=parse_recipe("mirror it").to_json(),
        remixed_from=sepia,
        remixed_from_video_id=sepia.pk,
        created_at=waves.created_at + timedelta(minutes=2),
    )
    trashed = kept_video(ana, clips[0], tmp_path, prompt="binned", trashed_at=timezone.now())
    failed = video_row(ana, prompt="broke", status=Video.Status.FAILED)
    return {
        "waves": waves,
        "sepia": sepia,
        "mirrored": mirrored,
        "trashed": trashed,
        "failed": failed,
    }
