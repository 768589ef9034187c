"""A video made on an HTTP provider (a Videos API stand-in): the provider's row, the page's
form that submits the job, the workers' steps run in turn, and the files copied home."""

import tempfile
import time
import uuid
from pathlib import Path

from remixer.lib import media
from remixer.models import CatalogEntry, Provider, Video
from remixer.tests.support.buckets import stored_bytes, stored_copy
from remixer.tests.support.videos_api_server import VideosAPIServer
from remixer.worker import pipeline, waits


def provider_for(server: VideosAPIServer, *models: str, **fields) -> Provider:  # type: ignore[no-untyped-def]
    provider = Provider.objects.create(
        name=f"{server.behaviour.name} server", base_url=server.url, api_key="test-key", **fields
    )
    for model in models or ("sora-2",):
        CatalogEntry.objects.create(provider=provider, name=model)
    return provider


def create(client, model="sora-2", prompt="a lighthouse in a storm", **extra):  # type: ignore[no-untyped-def]
    data = {
        "prompt": prompt,
        "model": model,
        "size": "1280x720",
        "seconds": "4",
        "form_token": str(uuid.uuid4()),
        **extra,
    }
    response = client.post("/videos/new", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Video.objects.get(pk=response["Location"].rsplit("/", 1)[1])


def drive(video: Video, timeout: float = 60, step: str = "submit") -> Video:
    """Run the job's steps as the workers would, from `step`, without waiting out their delays."""
    later: waits.Later | None = waits.Later(step, 0)
    deadline = time.monotonic() + timeout
    while later is not None:
        assert time.monotonic() < deadline, "the job never finished"
        time.sleep(min(later.seconds, 0.2))
        later = (pipeline.submit if later.step == "submit" else pipeline.poll)(video.pk)
    video.refresh_from_db()
    return video


def assert_archived(video: Video) -> None:
    assert (video.status, video.progress, video.error) == ("completed", 100, None), video.error
    with tempfile.TemporaryDirectory() as folder:
        path = stored_copy(video.video_file, Path(folder))
        probe = media.verify(path)
        assert (probe.width, probe.height) == (1280, 720)
        assert (video.file_size, video.file_sha256) == media.size_and_sha256(path)
    assert stored_bytes(video.thumbnail_file)[8:12] == b"WEBP"
    assert stored_bytes(video.spritesheet_file)[:3] == b"\xff\xd8\xff"
