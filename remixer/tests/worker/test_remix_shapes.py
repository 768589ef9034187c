"""A vertical or square remix on the local engine: the video's size is its file's, from the
moment it is asked for to the stored file, and its preview has the same shape."""

import tempfile
import uuid
from pathlib import Path

import pytest

from remixer.actions import jobs
from remixer.forms.videos import RemixForm
from remixer.models import Video
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video, made_from, video_row
from remixer.tests.support.buckets import stored_copy
from remixer.tests.support.source_clips import decode, write_source
from remixer.worker import pipeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def wide(ana, tmp_path: Path) -> Video:
    """A finished 256x144 video of 2 s."""
    return finished_video(ana, write_source(tmp_path / "wide.mp4"), size="256x144", seconds="2")


def stored_size(video: Video) -> tuple[int, int]:
    with tempfile.TemporaryDirectory() as folder:
        height, width, _ = decode(stored_copy(video.video_file, Path(folder)))[0].shape
    return width, height


def test_a_vertical_remix_is_sized_as_its_file_from_the_start(ana, wide):
    form = RemixForm(
        {"prompt": "vertical for tiktok", "form_token": str(uuid.uuid4())}, source=wide
    )
    assert form.is_valid(), form.errors
    remix = jobs.submit(form.spec(owner=ana))
    assert remix.size == "144x256"  # what the API answers while it is made
    pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert (remix.status, remix.size) == ("completed", "144x256")
    assert stored_size(remix) == (144, 256)


def test_the_rendered_file_sets_the_size_a_row_guessed_wrong(ana, wide):
    """An edit of an uploaded file is sized before the upload is checked; a retry keeps the
    size of its first try: the file made decides."""
    remix = video_row(
        ana, size="256x144", seconds="2", recipe=parse_recipe("square").to_json(), **made_from(wide)
    )
    pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert (remix.status, remix.size) == ("completed", "144x144")
    assert stored_size(remix) == (144, 144)


def test_the_preview_has_the_remix_shape_and_a_needless_reshape_is_named(client, ana, wide):
    client.force_login(ana)
    page = client.post(f"/recipe?video={wide.pk}", {"prompt": "vertical"}).content.decode()
    assert 'width="144" height="256"' in page
    page = client.post(f"/recipe?video={wide.pk}", {"prompt": "landscape, sepia"}).content.decode()
    assert "The video is already landscape, so it keeps its shape." in page
    form = RemixForm({"prompt": "landscape", "form_token": str(uuid.uuid4())}, source=wide)
    assert not form.is_valid()
    assert "already landscape" in str(form.errors["prompt"])


def test_a_remix_lengthened_for_a_moment_says_its_real_length(client, ana, wide):
    remix = video_row(
        ana,
        size="256x144",
        seconds="2",
        recipe=parse_recipe("slow motion for the first second").to_json(),
        **made_from(wide),
    )
    pipeline.render(remix.pk)
    remix.refresh_from_db()
    assert (remix.status, remix.seconds) == ("completed", "3")  # 71 frames at 24 fps
    assert remix.duration == pytest.approx(71 / 24, abs=0.01)
    client.force_login(ana)
    assert "(exactly 2.96 s)" in client.get(f"/videos/{remix.pk}").content.decode()
