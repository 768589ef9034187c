"""What an import may be: at most REMIXER_MAX_IMPORT_PIXELS a frame, REMIXER_MAX_IMPORT_SECONDS
long (its frames at 60 a second of it), in a codec the engine renders from. Past any of them
the worker's check refuses it in words, from the header, before a frame is decoded."""

import io
import uuid
from pathlib import Path

import pytest
from django.test.client import encode_multipart

from remixer import tasks
from remixer.lib import media
from remixer.models import Video
from remixer.models.accounts import ApiKey
from remixer.tests.support.library import files_under
from remixer.tests.support.source_clips import write_clip

pytestmark = pytest.mark.django_db


def import_page(client, path: Path) -> Video:  # type: ignore[no-untyped-def]
    """Upload on the Import page, then let a worker's step check it."""
    handle = io.BytesIO(path.read_bytes())
    handle.name = path.name
    client.post("/videos/import", {"video": handle, "form_token": str(uuid.uuid4())})
    video = Video.objects.get(kind="import")
    tasks.import_video.call(video.pk)
    video.refresh_from_db()
    return video


@pytest.fixture
def no_decoding(monkeypatch):  # type: ignore[no-untyped-def]
    """Decoding a frame of an import is a failure of the test: its header must be enough."""

    def decoded(*args: object) -> None:
        raise AssertionError("a frame was decoded")

    monkeypatch.setattr(media, "_decode_all", decoded)


@pytest.mark.parametrize(
    ("codec", "width", "height", "frames", "rate", "says"),
    [
        (
            "libx264",
            4000,
            2400,
            1,
            24,
            "This video is 4000x2400, 9,600,000 pixels a frame; an import may have at most "
            "8,294,400 (3840x2160).",
        ),
        (
            "mjpeg",
            64,
            64,
            2,
            24,
            "This video is in MJPEG, which the engine does not render from: import H.264, "
            "H.265 (HEVC), VP9 or AV1.",
        ),
    ],
)
def test_a_video_past_the_caps_fails_its_import_in_words_before_any_frame_is_decoded(
    client, ana, tmp_path, media_root, no_decoding, codec, width, height, frames, rate, says
):
    clip = write_clip(tmp_path / "big.mp4", codec, width, height, frames, rate)
    client.force_login(ana)
    video = import_page(client, clip)
    assert (video.status, video.error_code) == ("failed", "invalid_video")
    assert video.error_message == says
    assert says.replace("'", "&#x27;") in client.get(video.get_absolute_url()).content.decode()
    assert not files_under(media_root / "videos")


def test_the_caps_come_from_the_settings_and_count_seconds_and_frames(
    client, ana, tmp_path, settings, no_decoding
):
    settings.REMIXER_MAX_IMPORT_PIXELS = 64 * 64
    settings.REMIXER_MAX_IMPORT_SECONDS = 1
    client.force_login(ana)
    refused = {
        "long": (write_clip(tmp_path / "long.mp4", "libx264", 64, 64, 48, 24), "2.0 s long"),
        "fast": (write_clip(tmp_path / "fast.mp4", "libx264", 64, 64, 120, 120), "120 frames"),
        "wide": (write_clip(tmp_path / "wide.mp4", "libx264", 96, 64, 2, 24), "96x64"),
    }
    for clip, says in refused.values():
        video = import_page(client, clip)
        assert video.status == "failed" and says in video.error_message, video.error_message
        video.delete()


def test_a_video_within_the_caps_is_imported(client, ana, tmp_path, settings):
    settings.REMIXER_MAX_IMPORT_PIXELS = 64 * 64
    settings.REMIXER_MAX_IMPORT_SECONDS = 1
    client.force_login(ana)
    video = import_page(client, write_clip(tmp_path / "ok.mp4", "libx264", 64, 64, 24, 24))
    assert (video.status, video.size) == ("completed", "64x64"), video.error


def test_an_upload_to_edit_past_the_caps_is_refused_at_once(client, ana, tmp_path):
    """Its header is read while the request is answered: a codec the engine cannot read is
    refused in words, and nothing is kept."""
    key = ApiKey.issue(user=ana, name="tests")[1]
    handle = io.BytesIO(write_clip(tmp_path / "m.mp4", "mjpeg", 64, 64, 2, 24).read_bytes())
    handle.name = "m.mp4"
    boundary = "bounds"
    response = client.post(
        "/v1/videos/edits",
        encode_multipart(boundary, {"prompt": "sepia", "video": handle}),
        content_type=f"multipart/form-data; boundary={boundary}",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert (error["code"], error["param"]) == ("invalid_video", "video")
    assert "This video is in MJPEG" in error["message"], error
    assert not Video.objects.exists()
