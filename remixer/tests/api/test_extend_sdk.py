"""The official `openai` SDK (pinned in requirements.lock) extending a library video.

SDK 3.57's `videos.extend()` uploads a file for `video` and refuses a `{"id": …}` dict
before sending anything: the file is imported, then extended; a library video is extended
through the SDK's own `post` with the JSON body the API documents.
"""

import io
from pathlib import Path

import av
import openai
import pytest
from openai.types import Video as SdkVideo

from remixer.models import Video
from remixer.tests.api.conftest import POLL_MS
from remixer.tests.conftest import finished_video
from remixer.tests.support.source_clips import write_source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # the SDK marks videos deprecated
]


def test_the_sdk_extends_a_library_video_by_its_id(
    sdk,
    worker,
    ana,
    tmp_path: Path,
):
    clip = write_source(tmp_path / "source.mp4", audio=True)
    source = finished_video(ana, clip, size="256x144", seconds="2")
    with pytest.raises(RuntimeError, match="Expected entry at `video`"):
        sdk.videos.extend(video={"id": source.pk}, prompt="the tide goes out", seconds="4")
    body = {"video": {"id": source.pk}, "prompt": "the tide goes out", "seconds": "4"}
    video = sdk.post("/videos/extensions", cast_to=SdkVideo, body=body)
    assert (video.status, video.seconds, video.remixed_from_video_id) == ("queued", "6", source.pk)
    video = sdk.videos.poll(video.id, poll_interval_ms=POLL_MS)
    assert (video.status, video.progress, video.error) == ("completed", 100, None), video.error
    assert frames_of(sdk.videos.download_content(video.id).content) == 6 * 24


def test_the_sdks_extend_uploads_a_file_that_is_imported_then_extended(
    sdk,
    worker,
    tmp_path: Path,
):
    clip = write_source(tmp_path / "source.mp4", audio=True)
    video = sdk.videos.extend(
        video=("clip.mp4", clip.read_bytes(), "video/mp4"), prompt="more waves", seconds="4"
    )
    # The file's header tells its size and length at once: 2 s, and 4 s more.
    assert (video.status, video.size, video.seconds) == ("queued", "256x144", "6")
    fetched = sdk.videos.retrieve(video.id)
    assert (fetched.size, fetched.seconds) == ("256x144", "6")
    imported = Video.objects.get(pk=video.remixed_from_video_id)
    assert (imported.kind, imported.owner.username) == ("import", "ana")
    assert (imported.size, imported.seconds) == ("256x144", "2")
    video = sdk.videos.poll(video.id, poll_interval_ms=POLL_MS)
    assert (video.status, video.seconds, video.error) == ("completed", "6", None), video.error
    assert Video.objects.get(pk=video.id).kind == "extension"
    assert frames_of(sdk.videos.download_content(video.id).content) == 6 * 24


def test_an_uploaded_file_too_long_to_extend_is_refused_from_its_header(
    sdk,
    settings,
    tmp_path: Path,
):
    settings.REMIXER_MAX_EXTENDED_SECONDS = 4
    clip = write_source(tmp_path / "source.mp4", audio=True)
    with pytest.raises(openai.BadRequestError) as refused:
        sdk.videos.extend(
            video=("clip.mp4", clip.read_bytes(), "video/mp4"), prompt="more waves", seconds="4"
        )
    assert refused.value.code == "video_too_long"
    assert "at most 4 seconds" in refused.value.message
    assert not Video.objects.exists()


def frames_of(mp4: bytes) -> int:
    with av.open(io.BytesIO(mp4)) as container:
        return len(list(container.decode(video=0)))
