"""A real db_worker process makes a remix from a submitted form to a verified file."""

import uuid

import av
import pytest

from remixer.lib import media
from remixer.models import Video
from remixer.tests.conftest import wait_for
from remixer.tests.support.buckets import stored_bytes, stored_copy

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_worker_completes_a_remix(stores, client, ana, source, worker, settings, tmp_path):
    client.force_login(ana)
    client.post(
        f"/videos/{source.id}/remix",
        {"prompt": "black and white, 'The end'", "form_token": str(uuid.uuid4())},
    )
    remix = Video.objects.get(remixed_from=source)
    wait_for(lambda: Video.objects.get(pk=remix.pk).is_finished, timeout=120)
    remix.refresh_from_db()
    assert (remix.status, remix.progress, remix.error) == ("completed", 100, None), remix.error
    assert remix.completed_at is not None
    path = stored_copy(remix.video_file, tmp_path / "copy")
    probe = media.verify(path)
    assert (probe.codec, probe.width, probe.height, round(probe.duration)) == ("h264", 1280, 720, 4)
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert abs(frame[..., 0] - frame[..., 2]).max() <= 8  # black and white: equal channels
    assert stored_bytes(remix.thumbnail_file)[8:12] == b"WEBP"
    assert stored_bytes(remix.spritesheet_file)[:3] == b"\xff\xd8\xff"
    assert not list(settings.REMIXER_SCRATCH_DIR.glob("*/*"))  # the work folder is cleaned up
    response = client.get(f"/videos/{remix.id}/status")
    assert "<video" in response.content.decode()


def test_a_worker_runs_a_new_video_with_a_reference_image(stores, client, ana, worker, tmp_path):
    import io

    from remixer.tests.support.uploads import png_bytes

    client.force_login(ana)
    upload = io.BytesIO(png_bytes(1280, 720))
    upload.name = "ref.png"
    client.post(
        "/videos/new",
        {
            "prompt": "sunset",
            "model": "remixer-local",
            "size": "1280x720",
            "seconds": "4",
            "form_token": str(uuid.uuid4()),
            "reference_image": upload,
        },
    )
    video = Video.objects.get()
    wait_for(lambda: Video.objects.get(pk=video.pk).is_finished, timeout=120)
    video.refresh_from_db()
    assert video.status == "completed", video.error
    with av.open(str(stored_copy(video.video_file, tmp_path / "copy"))) as container:
        first = next(container.decode(video=0)).to_ndarray(format="rgb24").astype(int)
    assert abs(first.mean(axis=(0, 1)) - [200, 30, 30]).max() < 12  # the image is the first frame
