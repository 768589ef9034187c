"""Probing, verifying, thumbnails and spritesheets, on real files."""

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from remixer.lib.media import (
    SPRITE_COLUMNS,
    SPRITE_ROWS,
    SPRITE_TILE_WIDTH,
    MediaError,
    Probe,
    make_spritesheet,
    make_thumbnail,
    probe,
    verify,
)
from remixer.providers.local import render_create
from remixer.tests.support.source_clips import write_source

pytestmark = pytest.mark.database_free


def create(path: Path, size: str, seconds: int) -> Path:
    render_create(
        prompt="night city lights",
        size=size,
        seconds=seconds,
        output=path,
        reference_image=None,
        on_progress=lambda done, total: None,
    )
    return path


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return create(tmp_path_factory.mktemp("media") / "video.mp4", "320x180", 2)


def test_probe_reads_the_header(video):
    assert probe(video) == Probe(
        codec="h264", width=320, height=180, duration=2.0, frames=48, fps=24.0, has_audio=False
    )


def test_probe_sees_sound(tmp_path):
    assert probe(write_source(tmp_path / "loud.mp4", audio=True)).has_audio


def test_verify_accepts_a_good_file(video):
    assert verify(video) == probe(video)


def test_verify_rejects_a_truncated_file_whose_header_looks_whole(video, tmp_path):
    cut = tmp_path / "cut.mp4"
    data = video.read_bytes()
    cut.write_bytes(data[: int(len(data) * 0.7)])
    assert probe(cut).frames == 48  # faststart: the header still promises every frame
    with pytest.raises(MediaError, match="incomplete|damaged"):
        verify(cut)


@pytest.mark.parametrize("content", [b"", b"not a video at all" * 100])
def test_what_is_not_a_video_is_a_media_error(tmp_path, content):
    path = tmp_path / "fake.mp4"
    path.write_bytes(content)
    with pytest.raises(MediaError):
        probe(path)
    with pytest.raises(MediaError):
        verify(path)


def test_a_missing_file_is_a_media_error(tmp_path):
    with pytest.raises(MediaError):
        probe(tmp_path / "nowhere.mp4")


def test_thumbnail_is_a_webp_of_the_video_aspect(video, tmp_path):
    output = tmp_path / "thumb.webp"
    make_thumbnail(video, output)
    head = output.read_bytes()[:12]
    assert head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    with Image.open(output) as image:
        assert image.size == (320, 180)


@pytest.mark.parametrize(("size", "expected"), [("1280x720", (480, 270)), ("720x1280", (270, 480))])
def test_a_large_video_gets_a_thumbnail_480_on_its_longer_side(tmp_path, size, expected):
    big = create(tmp_path / "big.mp4", size, 1)
    make_thumbnail(big, tmp_path / "thumb.webp")
    with Image.open(tmp_path / "thumb.webp") as image:
        assert image.size == expected


def test_spritesheet_is_a_jpeg_grid_of_evenly_spaced_frames(video, tmp_path):
    output = tmp_path / "sprites.jpg"
    make_spritesheet(video, output)
    assert output.read_bytes()[:3] == b"\xff\xd8\xff"
    tile_height = round(SPRITE_TILE_WIDTH * 180 / 320)
    with Image.open(output) as image:
        assert image.size == (SPRITE_TILE_WIDTH * SPRITE_COLUMNS, tile_height * SPRITE_ROWS)
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    tiles = [
        pixels[r * tile_height : (r + 1) * tile_height, c * SPRITE_TILE_WIDTH : (c + 1) * 160]
        for r in range(SPRITE_ROWS)
        for c in range(SPRITE_COLUMNS)
    ]
    assert all(tile.mean() > 5 for tile in tiles)  # every tile filled
    assert np.abs(tiles[0] - tiles[-1]).mean() > 2  # and from different moments
