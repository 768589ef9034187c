"""The official `openai` SDK (pinned in requirements.lock) extending a library video.

SDK 3.57's `videos.extend()` uploads a file for `video` and refuses a `{"id": …}` dict
before sending anything, so a library video is extended through the SDK's own `post`
with the JSON body the API documents; an uploaded file gets a clear refusal.
"""

import io
from pathlib import Path

import av
import openai
import pytest
from openai.types import Video as SdkVideo

from remixer.tests.conftest import finished_video
from remixer.tests.test_api_sdk import POLL_MS, sdk, sdk_for  # noqa: F401 - fixtures
from remixer.tests.test_engine import write_source

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),  # the SDK marks videos deprecated
]


def test_the_sdk_extends_a_library_video_and_is_told_to_import_a_file(
    sdk,  # noqa: F811 - the fixture
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
    mp4 = sdk.videos.download_content(video.id).content
    with av.open(io.BytesIO(mp4)) as container:
        assert len(list(container.decode(video=0))) == 6 * 24

    with pytest.raises(openai.BadRequestError) as upload:
        sdk.videos.extend(
            video=("clip.mp4", clip.read_bytes(), "video/mp4"), prompt="more", seconds="4"
        )
    assert (upload.value.param, upload.value.status_code) == ("video", 400)
    assert "import the MP4 first" in upload.value.message
