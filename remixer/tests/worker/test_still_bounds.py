"""Stills are kept at most 1280 px on the long side, and a preview costs the web process no
more than such a still whatever the source, even one kept larger before."""

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from remixer.files import storage
from remixer.models.recipes import parse_recipe
from remixer.tests.conftest import finished_video
from remixer.tests.support.source_clips import write_clip
from remixer.worker import stills

pytestmark = pytest.mark.django_db
SMALL = 1280 * 720 * 3 // 2 + 1024  # a 1280x720 frame's planes (yuv420p) and the .npy header


def preview_size(client, video) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    token = stills.recipe_token(parse_recipe("sepia, 'hello' at the top"))
    response = client.get(f"/videos/{video.pk}/still", {"r": token})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(response.content)).size


def test_a_large_sources_still_is_kept_small_and_previewed_within_1280(client, ana, tmp_path):
    clip = write_clip(tmp_path / "large.mp4", "libx264", 3840, 2160, 1, 24)
    video = finished_video(ana, clip, size="3840x2160", seconds="1")
    stills.keep(video.pk, shutil.copy(clip, tmp_path / "archived.mp4"))  # as archiving does
    kept = storage.local_path(stills.still_name(video.pk))
    assert np.load(kept).shape == (720 * 3 // 2, 1280)  # 1280x720, as yuv420p planes
    assert kept.stat().st_size <= SMALL
    client.force_login(ana)
    assert preview_size(client, video) == (1280, 720)


def test_a_still_kept_large_before_is_previewed_small_and_kept_small(client, ana, tmp_path):
    clip = write_clip(tmp_path / "tall.mp4", "libx264", 64, 64, 1, 24)
    video = finished_video(ana, clip, size="1440x2560", seconds="1")
    large = tmp_path / "large.npy"
    np.save(large, np.full((2560 * 3 // 2, 1440), 128, dtype=np.uint8))  # 1440x2560, 5.5 MB
    storage.save(large, stills.still_name(video.pk))
    client.force_login(ana)
    assert preview_size(client, video) == (720, 1280)
    assert storage.local_path(stills.still_name(video.pk)).stat().st_size <= SMALL
