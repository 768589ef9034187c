"""The official `openai` SDK (pinned in requirements.lock) extending a library video.

SDK 3.57's `videos.extend()` uploads a file for `video` and refuses a `{"id": …}` dict
before sending anything: the file is imported, then extended; a library video is extended
through the SDK's own `post` with the JSON body the API documents.
"""

import io
from pathlib import Path

import av
import pytest
from openai.types import Video as SdkVideo

from remixer import tasks
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
    assert (video.status, video.progress, video.error) == ("completed", 100, None)
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
    assert (video.status, video.seconds) == ("queued", "")  # known once the file is checked
    imported = Video.objects.get(pk=video.remixed_from_video_id)
    assert (imported.kind, imported.owner.username) == ("import", "ana")
    video = sdk.videos.poll(video.id, poll_interval_ms=POLL_MS)
    assert (video.status, video.seconds, video.error) == ("completed", "6", None)
    assert Video.objects.get(pk=video.id).kind == "extension"
    assert frames_of(sdk.videos.download_content(video.id).content) == 6 * 24


def test_an_uploaded_file_too_long_to_extend_fails_the_extension_in_words(
    sdk,
    settings,
    tmp_path: Path,
):
    settings.REMIXER_MAX_EXTENDED_SECONDS = 4
    clip = write_source(tmp_path / "source.mp4", audio=True)
    video = sdk.videos.extend(
        video=("clip.mp4", clip.read_bytes(), "video/mp4"), prompt="more waves", seconds="4"
    )
    tasks.import_video.call(video.remixed_from_video_id)  # its check, here rather than a worker
    video = sdk.videos.retrieve(video.id)
    assert video.status == "failed"
    assert video.error is not None and video.error.code == "video_too_long"
    assert "at most 4 seconds" in video.error.message
    assert Video.objects.get(pk=video.remixed_from_video_id).status == "completed"


def frames_of(mp4: bytes) -> int:
    with av.open(io.BytesIO(mp4)) as container:
        return len(list(container.decode(video=0)))
